package dev.caravan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code caravan VERB FILE [options]}. The command tree is wired here and only here. */
@Command(name = "caravan", mixinStandardHelpOptions = true, version = "caravan 0.1.0",
        description = "Backs up databases and directories and replicates every backup to several destinations.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 good, 1 something failed, 2 usage or plan file, 3 locked). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> 2);
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
