package dev.caravan.source.command;

import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.spi.OptionDef;
import dev.caravan.spi.Rules;

import java.util.List;

import static dev.caravan.spi.OptionDef.Type.STRING;
import static dev.caravan.spi.OptionDef.Type.STRINGS;

/** {@code command('crdb') { run 'cockroach', 'dump', 'planetary'; extension 'sql' }}. */
public final class CommandSourceKind implements SourceKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("run", STRINGS, "The dump command and its arguments (no shell); whatever it writes to stdout is the dump.", "'cockroach', 'dump', 'planetary'"),
            OptionDef.optional("extension", STRING, "Extension of the stored object, without a dot (default dump).", "'sql'"),
            OptionDef.optional("restore", STRINGS, "Command that loads a dump from its stdin; without it, restore only writes the file (--to DIR).", "'psql', '-d', 'planetary'"));

    @Override
    public String kind() {
        return "command";
    }

    @Override
    public String description() {
        return "Any dump tool that writes to stdout; a non-zero exit or an empty output fails the backup.";
    }

    @Override
    public List<OptionDef> options() {
        return OPTIONS;
    }

    @Override
    public List<String> rules() {
        return List.of(
                "run (and restore, when given) names at least the program.",
                "extension is letters, digits, '.', '_' or '-'.");
    }

    @Override
    public List<String> problems(SourceSpec spec) {
        return rules(spec.options());
    }

    /** The rules of a command block (see {@link Rules}); {@link CommandSource} refuses a block that breaks one. */
    static List<String> rules(Options o) {
        List<String> run = o.strings("run");
        List<String> restore = o.strings("restore");
        String extension = o.string("extension", "dump");
        return new Rules()
                .rule(run.isEmpty() || run.get(0).isBlank(), "run needs at least the program to start")
                .rule(o.has("restore") && (restore.isEmpty() || restore.get(0).isBlank()), "restore needs at least the program to start")
                .rule(!extension.matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "extension '" + extension + "' must be letters, digits, '.', '_' or '-'")
                .problems();
    }

    @Override
    public Source create(SourceSpec spec) {
        return new CommandSource(spec.name(), spec.options());
    }
}
