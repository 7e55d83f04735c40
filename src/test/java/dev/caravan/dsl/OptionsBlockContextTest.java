package dev.caravan.dsl;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.spi.OptionDef;
import groovy.lang.Closure;
import groovy.lang.GroovyShell;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.caravan.spi.OptionDef.Type.BOOLEAN;
import static dev.caravan.spi.OptionDef.Type.INT;
import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;
import static dev.caravan.spi.OptionDef.Type.STRINGS;
import static org.assertj.core.api.Assertions.assertThat;

/** Option blocks are checked only against their kind's OptionDefs, so a future kind (here a made-up 'pg') needs no loader change. */
class OptionsBlockContextTest {
    private static final List<OptionDef> PG = List.of(
            OptionDef.required("host", STRING, "Host.", "'localhost'"),
            OptionDef.optional("port", INT, "Port.", "5432"),
            OptionDef.optional("schemaOnly", BOOLEAN, "Schema only.", "true"),
            OptionDef.optional("dataOnly", BOOLEAN, "Data only.", "true"),
            OptionDef.optional("password", SECRET, "Password.", "env('PGPASSWORD')"),
            OptionDef.optional("tables", STRINGS, "Tables.", "'a', 'b'"));

    private final Problems problems = new Problems("t.groovy");
    private final KindBlocksContext sources = new KindBlocksContext(
            new Loading(problems, Map.of("PGPASSWORD", "hunter2")::get, Path.of(".")), "source", Map.of("pg", PG),
            b -> b.options().bool("schemaOnly", false) && b.options().bool("dataOnly", false)
                    ? List.of("schemaOnly and dataOnly cannot both be set") : List.of()) {
    };

    private Options load(String block) {
        Closure<?> body = (Closure<?>) new GroovyShell().evaluate("{ -> " + block + " }");
        sources.methodMissing("pg", new Object[] {"app", body});
        return sources.blocks().isEmpty() ? null : sources.blocks().get(0).options();
    }

    @Test
    void every_option_type_is_converted_to_its_declared_java_type() {
        Options o = load("host 'db'; port 5432; schemaOnly; dataOnly false; password env('PGPASSWORD');"
                + " tables 'a', 'b'; tables(['c'])");

        assertThat(problems.sorted()).isEmpty();
        assertThat(o.asMap()).isEqualTo(Map.of("host", "db", "port", 5432, "schemaOnly", true, "dataOnly", false,
                "password", new Secret("hunter2", "env(PGPASSWORD)"), "tables", List.of("a", "b", "c")));
        assertThat(o.toString()).doesNotContain("hunter2");
    }

    @Test
    void a_secret_written_in_the_file_is_still_a_secret() {
        Options o = load("host 'db'; password 'plain'");
        assertThat(o.secret("password")).contains(new Secret("plain", "plan file"));
    }

    @Test
    void wrong_types_unknown_options_and_options_set_twice_are_problems() {
        load("host 'db'; host 'other'; port '5432'; schemaOnly 'yes'; pasword 'x'");

        assertThat(problems.sorted()).extracting(Problem::format).containsExactly(
                "t.groovy:0: source 'app': 'host' is already set at line 0",
                "t.groovy:0: source 'app': option 'port' takes a whole number\n  e.g. port 5432",
                "t.groovy:0: source 'app': option 'schemaOnly' takes true or false (or nothing, meaning true)\n"
                        + "  e.g. schemaOnly true",
                "t.groovy:0: source 'app': unknown option 'pasword'\n"
                        + "  expected one of: host, port, schemaOnly, dataOnly, password, tables\n"
                        + "  did you mean 'password'?");
    }

    @Test
    void the_kinds_own_rules_are_problems_at_the_blocks_line() {
        load("host 'db'; schemaOnly; dataOnly");

        assertThat(problems.sorted()).extracting(Problem::format).containsExactly(
                "t.groovy:0: source 'app': schemaOnly and dataOnly cannot both be set");
    }

    @Test
    void a_block_with_problems_of_its_own_is_not_also_judged_by_its_kinds_rules() {
        load("host 'db'; schemaOnly; dataOnly; port 'x'");

        assertThat(problems.sorted()).extracting(Problem::format).containsExactly(
                "t.groovy:0: source 'app': option 'port' takes a whole number\n  e.g. port 5432");
    }
}
