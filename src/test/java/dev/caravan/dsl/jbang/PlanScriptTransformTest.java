package dev.caravan.dsl.jbang;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyShell;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan file's compiled script (what JBang's groovyc makes) hands the file to Caravan, and nothing
 * else is touched: scripts without the JBang header, Caravan's own in-memory loading, an excluded config.
 */
class PlanScriptTransformTest {

    private static final String HEADER = """
            ///usr/bin/env jbang "$0" "$@" ; exit $?
            //DEPS dev.caravan:caravan:0.1.0-SNAPSHOT
            //GROOVY 4.0.28
            """;

    @TempDir Path dir;

    @Test
    void a_jbang_plan_compiled_to_classes_calls_caravan_with_its_own_absolute_path() throws Exception {
        Path plan = write("nightly.groovy", HEADER + "backup('nightly') { schedule '@daily' }\n");

        Run run = compileAndRun(plan, new CompilerConfiguration());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("usage: " + plan.toAbsolutePath() + " VERB [options]");
    }

    @Test
    void a_jbang_plan_passes_its_arguments_to_caravan() throws Exception {
        Path plan = write("nightly.groovy", HEADER + "backup('nightly') { schedule '@daily' }\n");

        Run run = compileAndRun(plan, new CompilerConfiguration(), "--version");

        assertThat(run.exit).isZero();
        assertThat(run.out).contains("caravan 0.1.0");
    }

    @Test
    void a_script_without_the_jbang_header_keeps_its_body() throws Exception {
        Path script = write("plain.groovy", "//DEPS dev.caravan:caravan:0.1.0-SNAPSHOT\nprintln 'plain body ran'\n");

        Run run = compileAndRun(script, new CompilerConfiguration());

        assertThat(run.exit).isZero();
        assertThat(run.out).contains("plain body ran");
    }

    @Test
    void a_jbang_script_that_does_not_depend_on_caravan_keeps_its_body() throws Exception {
        Path script = write("other.groovy", """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                //DEPS org.example:caravan-like:1.0
                println 'other body ran'
                """);

        Run run = compileAndRun(script, new CompilerConfiguration());

        assertThat(run.out).contains("other body ran");
    }

    @Test
    void a_config_excluded_with_excludeFrom_keeps_the_plan_body_even_when_compiling_to_classes() throws Exception {
        Path plan = write("nightly.groovy", HEADER + "println 'dsl body ran'\n");

        Run run = compileAndRun(plan, PlanScriptTransform.excludeFrom(new CompilerConfiguration()));

        assertThat(run.exit).isZero();
        assertThat(run.out).contains("dsl body ran");
    }

    @Test
    void caravans_in_memory_loading_of_a_plan_file_runs_the_dsl_body() throws Exception {
        Path plan = write("nightly.groovy", HEADER + "'loaded as dsl, line ' + new Throwable().stackTrace.find { it.fileName == 'nightly.groovy' }.lineNumber\n");

        // no target directory, no exclusion: what a plain GroovyShell does
        Object plain = new GroovyShell(getClass().getClassLoader()).evaluate(plan.toFile());
        Object excluded = new GroovyShell(getClass().getClassLoader(),
                PlanScriptTransform.excludeFrom(new CompilerConfiguration())).evaluate(plan.toFile());

        assertThat(plain).isEqualTo("loaded as dsl, line 4");
        assertThat(excluded).isEqualTo("loaded as dsl, line 4");
    }

    @Test
    void excludeFrom_keeps_transformations_already_disabled() {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setDisabledGlobalASTTransformations(java.util.Set.of("org.example.Other"));

        PlanScriptTransform.excludeFrom(config);

        assertThat(config.getDisabledGlobalASTTransformations())
                .containsExactlyInAnyOrder("org.example.Other", PlanScriptTransform.class.getName());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** Compiles like groovyc -d (what JBang does), then runs the script class in its own JVM. */
    private Run compileAndRun(Path script, CompilerConfiguration config, String... args) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        config.setTargetDirectory(classes.toFile());
        try (GroovyClassLoader loader = new GroovyClassLoader(getClass().getClassLoader(), config)) {
            CompilationUnit unit = new CompilationUnit(config, null, loader);
            unit.addSource(script.toFile());
            unit.compile();
        }
        String className = script.getFileName().toString().replaceFirst("\\.groovy$", "");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), className));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    private record Run(int exit, String out, String err) { }
}
