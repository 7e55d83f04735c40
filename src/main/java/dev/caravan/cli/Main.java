package dev.caravan.cli;

import dev.caravan.io.Redact;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point: {@code caravan VERB FILE [options]}. The command tree is wired here and only here. */
@Command(name = "caravan", mixinStandardHelpOptions = true, version = "caravan 0.1.0",
        description = "Backs up databases and directories and replicates every backup to several destinations.",
        subcommands = {CheckCommand.class, NowCommand.class, RunCommand.class, ListCommand.class, InfoCommand.class,
                VerifyCommand.class, RestoreCommand.class, PruneCommand.class, StatusCommand.class, DeleteCommand.class,
                ReplicateCommand.class, DrillCommand.class, WalPushCommand.class, WalShipCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all good", "1:the operation ran and something failed (a source, a destination, a checksum)",
                "2:the plan file or the command line is wrong", "3:another run of the same plan holds its lock"})
public final class Main implements Runnable {

    public static void main(String[] args) {
        maskStderr();
        System.exit(run(args));
    }

    /** Log lines (slf4j-simple writes them to System.err) pass through {@link Redact} like everything else printed. */
    private static void maskStderr() {
        System.setErr(Redact.stream(new java.io.FileOutputStream(java.io.FileDescriptor.err), java.nio.charset.Charset.defaultCharset()));
    }

    /**
     * Entry of a plan file run by JBang ({@code jbang plan.groovy VERB [options]}): the plan's compiled
     * script calls this with its own path (see {@code dev.caravan.dsl.jbang.PlanScriptTransform}).
     * {@code args = [VERB, options...]} runs {@code VERB planFile options...}; {@code --help} and
     * {@code --version} go to Caravan as they are; no args prints usage and exits 2.
     */
    public static void runScript(String planFile, String... args) {
        maskStderr();
        if (args.length > 0 && args[0].startsWith("-")) {
            System.exit(run(args));
        }
        if (args.length == 0) {
            System.err.println("usage: " + planFile + " VERB [options]   (verbs: caravan --help)");
            new CommandLine(new Main()).usage(System.err);
            System.exit(2);
        }
        String[] line = new String[args.length + 1];
        line[0] = args[0];
        line[1] = planFile;
        System.arraycopy(args, 1, line, 2, args.length - 1);
        System.exit(run(line));
    }

    /** Runs a command line and returns its exit code (0 good, 1 something failed, 2 usage or plan file, 3 locked). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Same, printing to the given writers (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        out = Redact.writer(out);
        err = Redact.writer(err);
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
