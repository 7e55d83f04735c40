package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one end-to-end test of how operators start Caravan, on a copy of this checkout (so that the
 * launcher's own build does not rewrite the jar this test runs from): no jbang on PATH, empty caches.
 */
class LauncherIT {

    @TempDir Path tmp;

    @Test
    void launcher_bootstraps_jbang_builds_caravan_and_runs_plan_files_keeping_exit_codes() throws Exception {
        Path checkout = copyOfCheckout(tmp.resolve("checkout"));
        Map<String, String> env = Map.of(
                "CARAVAN_CACHE", tmp.resolve("cache").toString(),
                "JBANG_DIR", tmp.resolve("jbang-home").toString(),
                "PATH", pathWithoutJbang());

        Run version = run(checkout, env, "jbang/caravan", "--version");
        assertThat(version.exit).as(version.err).isZero();
        assertThat(version.out).contains("caravan 0.1.0");
        assertThat(version.err).contains("caravan: building").contains("jbang: fetching JBang");

        // JBang prepared this build once; later commands start Caravan's JVM directly with the kept class path
        try (Stream<Path> kept = Files.list(tmp.resolve("cache/builds"))) {
            assertThat(kept.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".classpath"));
        }

        Run wrongVerb = run(checkout, env, "jbang/caravan", "no-such-verb");
        assertThat(wrongVerb.exit).isEqualTo(2);
        assertThat(wrongVerb.err).contains("no-such-verb").doesNotContain("caravan: building");

        Path plan = tmp.resolve("plans/tiny.groovy");
        Files.createDirectories(plan.getParent());
        Files.writeString(plan, """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                //DEPS dev.caravan:caravan:0.1.0-SNAPSHOT
                //GROOVY 4.0.28
                backup('tiny') { schedule '@daily' }
                """);
        Run planRun = run(checkout, env, "jbang/jbang", plan.toString());
        assertThat(planRun.exit).as(planRun.err).isEqualTo(2);
        assertThat(planRun.err).contains("usage: " + plan.toAbsolutePath() + " VERB");
    }

    private static Path copyOfCheckout(Path target) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        for (String part : List.of("pom.xml", "src/main", "routes", "jbang")) {
            Path from = project.resolve(part);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(project.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        return target;
    }

    /** PATH minus any folder holding a jbang, so that the launcher has to bootstrap its own. */
    private static String pathWithoutJbang() {
        return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .filter(dir -> !Files.isExecutable(Path.of(dir, "jbang")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private Run run(Path dir, Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.command().set(0, dir.resolve(command[0]).toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("%s finished", String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Run(int exit, String out, String err) { }
}
