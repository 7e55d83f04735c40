package dev.caravan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point: {@code caravan VERB FILE [options]}. The command tree is wired here and only here. */
@Command(name = "caravan", mixinStandardHelpOptions = true, version = "caravan 0.1.0",
        description = "Backs up databases and directories and replicates every backup to several destinations.",
        subcommands = {CheckCommand.class, NowCommand.class, RunCommand.class, ListCommand.class, InfoCommand.class,
                VerifyCommand.class, RestoreCommand.class, PruneCommand.class, StatusCommand.class, DeleteCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all good", "1:the operation ran and something failed (a source, a destination, a checksum)",
                "2:the plan file or the command line is wrong", "3:another run of the same plan holds its lock"})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 good, 1 something failed, 2 usage or plan file, 3 locked). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Same, printing to the given writers (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main()).setOut(out).setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
