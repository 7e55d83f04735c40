package dev.caravan.source.command;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.source.tool.DumpFiles;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;
import dev.caravan.spi.Rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a dump command (argv, no shell) and stores its stdout. Consistency is the command's own. */
public final class CommandSource implements Source {
    private final String name;
    private final String who;
    private final List<String> run;
    private final List<String> restoreCommand;
    private final String extension;

    public CommandSource(String name, Options options) {
        this.name = name;
        this.who = "command '" + name + "'";
        Rules.refuse(who, CommandSourceKind.rules(options));
        this.run = options.strings("run");
        this.restoreCommand = options.strings("restore");
        this.extension = options.string("extension", "dump");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String extension() {
        return extension;
    }

    /** The program's path; Caravan does not run an arbitrary program just to ask its version. */
    @Override
    public String toolVersion() {
        return "command " + Tool.find(run.get(0)).map(Path::toString).orElse(run.get(0));
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        List<String> cmd = new ArrayList<>(run);
        cmd.set(0, Tool.require(who, null, run.get(0)).toString());
        long bytes = ToolRun.of(who, cmd).stdout(out).run();
        if (bytes == 0) {
            throw new IOException(who + ": " + run.get(0) + " wrote nothing to stdout");
        }
    }

    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        String target = request.target();
        if (target != null && DumpFiles.isDirectory(target)) {
            Path file = Path.of(target).resolve(name + "." + extension);
            request.log().accept(who + ": " + (request.dryRun() ? "would write " : "writing ") + file);
            if (!request.dryRun()) {
                DumpFiles.write(who, in, file, request.force());
            }
            return;
        }
        if (restoreCommand.isEmpty()) {
            throw new IOException(who + ": no restore command is configured; restore with --to DIR to get the "
                    + extension + " file and load it with your tool");
        }
        if (target != null) {
            throw new IOException(who + ": --to must be a directory; the restore command decides where the data goes");
        }
        if (!request.force()) {
            throw new IOException(who + ": running the restore command '" + restoreCommand.get(0)
                    + "' may overwrite data; restore with --force to run it");
        }
        request.log().accept(who + ": " + (request.dryRun() ? "would run " : "running ") + String.join(" ", restoreCommand));
        if (request.dryRun()) {
            return;
        }
        List<String> cmd = new ArrayList<>(restoreCommand);
        cmd.set(0, Tool.require(who, null, restoreCommand.get(0)).toString());
        ToolRun.of(who, cmd).stdin(in).run();
    }
}
