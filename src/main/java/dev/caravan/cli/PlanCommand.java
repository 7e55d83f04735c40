package dev.caravan.cli;

import dev.caravan.dsl.PlanException;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Config;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.apache.camel.CamelContext;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** What every verb shares: the plan file, {@code --json}, output, exit codes, and loading the file. */
abstract class PlanCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int LOCKED = 3;

    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file (Groovy DSL).")
    Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces of failures.")
    boolean verbose;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where spool files of runs go (default $CARAVAN_WORK_DIR, else $TMPDIR/caravan-work).")
    Path workDir;

    @Spec
    CommandSpec spec;

    Config config;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Started while the plan file compiles (both take a second or two; they overlap on two cores). */
    private CompletableFuture<CamelContext> camel;

    /** Whether the verb runs its work on an {@link Engine} made by {@link #engine}. */
    boolean usesEngine() {
        return true;
    }

    @Override
    public final Integer call() throws Exception {
        if (usesEngine()) {
            camel = CompletableFuture.supplyAsync(Engine::startCamel);
        }
        try {
            config = PlanLoader.load(file);
        } catch (PlanException e) {
            err().println(e.getMessage());
            err().flush();
            return USAGE;
        } finally {
            if (config == null) {
                closeUnusedCamel();
            }
        }
        try {
            return execute();
        } catch (UsageException e) {
            err().println("caravan: " + e.getMessage());
            return USAGE;
        } catch (dev.caravan.lock.PlanLock.LockHeldException e) {
            err().println("caravan: " + e.getMessage());
            return LOCKED;
        } catch (Exception e) {
            // one sentence with the root cause; a wrapper's own words (Camel's "Exception occurred during
            // execution on the exchange") never are the message; the stack only with --verbose
            err().println("caravan: " + dev.caravan.io.Failures.rootCause(e));
            if (verbose) {
                e.printStackTrace(err());
            }
            return FAILED;
        } finally {
            closeUnusedCamel();
            out().flush();
            err().flush();
        }
    }

    private void closeUnusedCamel() {
        CompletableFuture<CamelContext> c = camel;
        camel = null;
        if (c != null) {
            c.thenAccept(CamelContext::stop);
        }
    }

    abstract int execute() throws Exception;

    /** The plans selected by {@code --plan} (all when null); an unknown name is a usage error. */
    List<Plan> plans(String name) {
        if (name == null) {
            return config.plans();
        }
        return List.of(config.plan(name).orElseThrow(() -> new UsageException("no plan '" + name + "' in " + file
                + "; plans: " + String.join(", ", config.plans().stream().map(Plan::name).toList()))));
    }

    /** The one plan a verb about a single backup works on: {@code --plan}, or the file's only plan. */
    Plan onePlan(String name) {
        if (name != null || config.plans().size() == 1) {
            return plans(name).get(0);
        }
        throw new UsageException(file + " has several plans; say which with --plan: "
                + String.join(", ", config.plans().stream().map(Plan::name).toList()));
    }

    Engine engine(ProgressListener progress) {
        CompletableFuture<CamelContext> c = camel;
        camel = null;
        EngineSettings settings = settings(progress);
        return c != null ? new Engine(config, settings, c.join()) : new Engine(config, settings);
    }

    Engine engine() {
        return engine(ProgressListener.NONE);
    }

    /** Where Caravan keeps its things: the environment's, with {@code --work-dir} when given. */
    EngineSettings settings(ProgressListener progress) {
        EngineSettings s = EngineSettings.fromEnvironment(progress);
        return workDir != null ? s.withWorkDir(workDir.toAbsolutePath()) : s;
    }

    void printJson(Object value) throws java.io.IOException {
        out().println(dev.caravan.backup.Manifest.json().writeValueAsString(value));
    }

    /** A mistake on the command line (exit 2). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
