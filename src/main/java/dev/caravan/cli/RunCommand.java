package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.ProgressListener;
import dev.caravan.service.Service;
import dev.caravan.service.ServiceProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "run", description = "Run as a service: fire every plan on its schedule, serve /metrics, /health and the status page, "
        + "reload the file when it changes, until stopped (SIGTERM / Ctrl-C).")
final class RunCommand extends PlanCommand {
    @Option(names = "--properties", paramLabel = "FILE", description = "The service's application.properties: Camel Main's camel.* "
            + "keys and Caravan's caravan.* keys (default: application.properties beside the plan file, if there is one).")
    Path properties;

    /** {@code --properties}, else {@code application.properties} beside the plan file when it exists, else null. */
    static Path propertiesFile(Path given, Path planFile) {
        if (given != null) {
            return given;
        }
        Path beside = planFile.toAbsolutePath().resolveSibling("application.properties");
        return Files.isRegularFile(beside) ? beside : null;
    }

    @Override
    boolean usesEngine() {
        return false;
    }

    @Override
    int execute() throws Exception {
        Path props = propertiesFile(properties, file);
        ServiceProperties serviceProperties;
        try {
            serviceProperties = ServiceProperties.load(props);
        } catch (ServiceProperties.Invalid e) {
            err().println(e.getMessage());
            return USAGE;
        } catch (java.io.IOException e) {
            err().println("caravan: cannot read " + props + ": " + dev.caravan.io.Failures.rootCause(e));
            return USAGE;
        }
        if (config.plans().stream().allMatch(p -> p.schedule() == null)) {
            err().println("caravan: no plan has a schedule; nothing to run");
            return USAGE;
        }
        for (Plan p : config.plans()) {
            out().println("plan '" + p.name() + "': " + (p.schedule() == null ? "no schedule, not scheduled"
                    : "scheduled " + p.schedule().expression() + " (" + p.timezone().getId() + ")"));
        }
        out().flush();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // the JVM exits when its shutdown hooks return: this one waits until runs in flight have ended (bounded)
        java.util.concurrent.atomic.AtomicLong bound = new java.util.concurrent.atomic.AtomicLong(
                config.service().shutdownTimeout().toSeconds() + 15);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(bound.get(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "caravan-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Service started;
            try {
                started = new Service(config, settings(ProgressListener.NONE), serviceProperties, props);
            } catch (dev.caravan.service.CamelMainEngine.Invalid e) {
                err().println(e.getMessage());
                return USAGE;
            }
            try (Service service = started) {
                // the engine's timeout, which application.properties or CAMEL_MAIN_SHUTDOWNTIMEOUT may have set
                bound.set(service.engine().camel().getShutdownStrategy().getTimeout() + 15);
                service.start();
                if (service.httpPort() > 0) {
                    var http = config.service().http();
                    String host = http.host().contains(":") ? "[" + http.host() + "]" : http.host();
                    out().println("http: " + (http.tls() != null ? "https" : "http") + "://" + host + ":" + service.httpPort()
                            + "/ (status), /metrics, /health" + (http.user() != null ? " (basic auth)" : ""));
                    out().flush();
                }
                stop.await();
            }
        } finally {
            stopped.countDown();
        }
        return OK;
    }
}
