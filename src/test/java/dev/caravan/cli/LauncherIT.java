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

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, how operators start Caravan from a checkout: jbang/caravan on copies of this checkout's
 * working tree (so that the launcher's own build does not rewrite the jar this test runs from), with
 * no jbang on PATH and empty caches, and the Maven local repository of the machine, which every
 * checkout shares.
 *
 * <p>A build costs the most here, so the cases share one: the first case builds the copy
 * {@link #deployed()} in the shared launcher cache, and the second case runs its service from that
 * same copy and cache (when run alone, the service's own start builds it, which changes nothing it
 * checks).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {

    /** Shared by the cases: the copy of the checkout that is "deployed", and the launcher cache. */
    @TempDir static Path shared;
    @TempDir Path tmp;

    @Test
    @Order(1)
    void launcher_builds_caravan_and_runs_plan_files_keeping_exit_codes() throws Exception {
        Path checkout = deployed();
        Map<String, String> env = Map.of(
                "CARAVAN_CACHE", cache().toString(),
                "JBANG_DIR", tmp.resolve("jbang-home").toString(),
                "PATH", pathWithoutJbang());

        Run version = run(checkout, env, "jbang/caravan", "--version");
        assertThat(version.exit).as(version.err).isZero();
        assertThat(version.out).contains("caravan 0.1.0");
        assertThat(version.err).contains("caravan: building").doesNotContain("jbang");

        // the build is kept as one of its own: its jar and its class path, under the cache
        Path build;
        try (Stream<Path> kept = Files.list(cache().resolve("builds"))) {
            build = kept.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(build.resolve("caravan-0.1.0-SNAPSHOT.jar")).isRegularFile();
        assertThat(Files.readString(build.resolve("classpath"))).startsWith(build.resolve("caravan-0.1.0-SNAPSHOT.jar").toString());

        Run wrongVerb = run(checkout, env, "jbang/caravan", "no-such-verb");
        assertThat(wrongVerb.exit).isEqualTo(2);
        assertThat(wrongVerb.err).contains("no-such-verb").doesNotContain("caravan: building");

        // A plan file run by JBang uses the Caravan jar in a Maven repository: `mvn install` puts it
        // there. Installed here into a repository of the test's own, which sees the machine's for
        // everything else, so that no other checkout's plan files see this copy's jar.
        Path repo = overlayOfLocalRepository(tmp.resolve("repo"));
        Run install = run(checkout, env, "/usr/bin/env", "mvn", "-o", "-q", "-B", "install:install-file",
                "-Dfile=" + build.resolve("caravan-0.1.0-SNAPSHOT.jar"), "-DpomFile=pom.xml", "-Dmaven.repo.local=" + repo);
        assertThat(install.exit).as(install.out + install.err).isZero();
        Map<String, String> jbangEnv = new java.util.HashMap<>(env);
        jbangEnv.put("JBANG_REPO", repo.toString());

        Path plan = tmp.resolve("plans/tiny.groovy");
        Files.createDirectories(plan.getParent());
        Files.writeString(plan, """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                //DEPS dev.caravan:caravan:0.1.0-SNAPSHOT
                //GROOVY 4.0.28
                backup('tiny') { schedule '@daily' }
                """);
        Run planRun = run(checkout, jbangEnv, "jbang/jbang", plan.toString());
        assertThat(planRun.exit).as(planRun.err).isEqualTo(2);
        assertThat(planRun.err).contains("jbang: fetching JBang");
        assertThat(planRun.err).contains("usage: " + plan.toAbsolutePath() + " VERB");
    }

    /**
     * Two checkouts on one machine, sharing the Maven local repository and the launcher's cache: one
     * runs the service, the other builds and takes {@link #TRIAL_RUNS} backups. The service keeps
     * taking its scheduled backups from its own build (no class of it goes missing), the second
     * checkout builds once (on its first command, not on the later ones), and neither checkout makes
     * the other build again.
     */
    @Test
    @Order(2)
    void two_checkouts_neither_rebuild_each_other_nor_break_a_running_service() throws Exception {
        Path deployed = deployed();
        Path trial = copyOfCheckout(tmp.resolve("trial"));
        Map<String, String> env = Map.of(
                "CARAVAN_CACHE", cache().toString(),
                "CARAVAN_AOT", "0",   // the startup cache's training runs only cost time here
                "CARAVAN_JAVA_OPTS", "-XX:TieredStopAtLevel=1",   // short-lived JVMs: C1 only starts them sooner
                "PATH", pathWithoutJbang());
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("a.txt"), "sample");
        Path servicePlan = plan("service", "schedule every('2s')", tmp.resolve("service-out"));
        Path trialPlan = plan("trial", "", tmp.resolve("trial-out"));

        Map<String, String> serviceEnv = new java.util.HashMap<>(env);
        serviceEnv.put("CARAVAN_STATE_DIR", tmp.resolve("service-state").toString());
        serviceEnv.put("CARAVAN_WORK_DIR", tmp.resolve("service-work").toString());
        Path serviceLog = tmp.resolve("service.log");
        ProcessBuilder pb = new ProcessBuilder(deployed.resolve("jbang/caravan").toString(), "run", servicePlan.toString())
                .directory(deployed.toFile()).redirectErrorStream(true).redirectOutput(serviceLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("JBANG_REPO");
        pb.environment().putAll(serviceEnv);
        Process service = pb.start();
        try {
            Path serviceOut = tmp.resolve("service-out/service");
            awaitBackups(serviceOut, 1, service, serviceLog, TimeUnit.MINUTES.toMillis(8));
            int before = backups(serviceOut);

            Map<String, String> trialEnv = new java.util.HashMap<>(env);
            trialEnv.put("CARAVAN_STATE_DIR", tmp.resolve("trial-state").toString());
            trialEnv.put("CARAVAN_WORK_DIR", tmp.resolve("trial-work").toString());
            int builds = 0;
            for (int i = 0; i < TRIAL_RUNS; i++) {
                Run now = run(trial, trialEnv, "jbang/caravan", "now", trialPlan.toString());
                assertThat(now.exit).as("run %d: %s", i, now.err).isZero();
                builds += count(now.err, "caravan: building");
            }
            assertThat(builds).as("builds of the trial checkout").isEqualTo(1);
            assertThat(backups(tmp.resolve("trial-out/trial"))).isEqualTo(TRIAL_RUNS);

            // the service went on taking backups while the other checkout built, and still does
            assertThat(service.isAlive()).as(Files.readString(serviceLog)).isTrue();
            assertThat(backups(serviceOut)).isGreaterThan(before);
            int after = backups(serviceOut);
            awaitBackups(serviceOut, after + 1, service, serviceLog, TimeUnit.MINUTES.toMillis(1));

            // and the deployed checkout was not made to build again by the other's build
            Map<String, String> deployedEnv = new java.util.HashMap<>(env);
            deployedEnv.put("CARAVAN_STATE_DIR", tmp.resolve("deployed-state").toString());
            Run check = run(deployed, deployedEnv, "jbang/caravan", "check", trialPlan.toString());
            assertThat(check.exit).as(check.err).isZero();
            assertThat(check.err).doesNotContain("caravan: building");
        } finally {
            service.destroy();
            service.waitFor(2, TimeUnit.MINUTES);
        }
        assertThat(Files.readString(serviceLog)).doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException")
                .doesNotContain("ZipException");
    }

    /**
     * Commands in the trial checkout: the first builds, the others must not. Three show the same as
     * ten did (each command after the first checks the sources against the build and starts at once)
     * at a third of the JVM starts.
     */
    private static final int TRIAL_RUNS = 3;

    /** The "deployed" copy of the checkout, made once for the class (the first case builds it). */
    private static synchronized Path deployed() throws IOException {
        Path deployed = shared.resolve("deployed");
        return Files.isDirectory(deployed) ? deployed : copyOfCheckout(deployed);
    }

    /** The launcher cache (CARAVAN_CACHE) both cases and both checkouts share. */
    private static Path cache() {
        return shared.resolve("cache");
    }

    private Path plan(String name, String schedule, Path out) throws IOException {
        Path plan = tmp.resolve(name + ".groovy");
        Files.writeString(plan, """
                backup('%s') {
                    %s
                    sources { files('data') { path '%s' } }
                    destinations { local('here') { path '%s' } }
                }
                """.formatted(name, schedule, tmp.resolve("data"), out));
        return plan;
    }

    private static int backups(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> ids = Files.list(dir)) {
            return (int) ids.filter(id -> Files.isRegularFile(id.resolve("manifest.json"))).count();
        }
    }

    private static void awaitBackups(Path dir, int atLeast, Process service, Path log, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (backups(dir) < atLeast) {
            assertThat(service.isAlive()).as("the service runs: %s", Files.readString(log)).isTrue();
            assertThat(System.currentTimeMillis()).as("%d backups in %s: %s", atLeast, dir, Files.readString(log)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * A Maven local repository that is the machine's (~/.m2/repository, linked folder by folder) except
     * for dev/caravan/caravan, which is its own.
     */
    private static Path overlayOfLocalRepository(Path overlay) throws IOException {
        Path shared = Path.of(System.getProperty("user.home"), ".m2/repository");
        Files.createDirectories(overlay.resolve("dev/caravan"));
        try (Stream<Path> top = Files.list(shared)) {
            for (Path p : (Iterable<Path>) top::iterator) {
                if (!p.getFileName().toString().equals("dev")) {
                    Files.createSymbolicLink(overlay.resolve(p.getFileName().toString()), p);
                }
            }
        }
        for (String group : List.of("dev", "dev/caravan")) {
            Path dir = shared.resolve(group);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                for (Path p : (Iterable<Path>) children::iterator) {
                    String name = p.getFileName().toString();
                    if (!(group.equals("dev") && name.equals("caravan")) && !(group.equals("dev/caravan") && name.equals("caravan"))) {
                        Files.createSymbolicLink(overlay.resolve(group).resolve(name), p);
                    }
                }
            }
        }
        return overlay;
    }

    private static Path copyOfCheckout(Path target) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        for (String part : List.of("pom.xml", ".mvn", "src/main", "routes", "jbang")) {
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
        if (!command[0].startsWith("/")) {
            pb.command().set(0, dir.resolve(command[0]).toString());
        }
        pb.environment().remove("JBANG_REPO");   // the machine's ~/.m2, as operators have it, unless env says otherwise
        pb.environment().putAll(env);
        Process process = pb.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("%s finished", String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Run(int exit, String out, String err) { }
}
