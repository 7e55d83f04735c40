package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.ProgressListener;
import dev.caravan.service.Service;
import picocli.CommandLine.Command;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "run", description = "Run as a service: fire every plan on its schedule, serve /metrics, /health and the status page, "
        + "reload the file when it changes, until stopped (SIGTERM / Ctrl-C).")
final class RunCommand extends PlanCommand {

    @Override
    boolean usesEngine() {
        return false;
    }

    @Override
    int execute() throws Exception {
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
        long bound = config.service().shutdownTimeout().toSeconds() + 15;
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(bound, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "caravan-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Service service = new Service(config, settings(ProgressListener.NONE), Service.Timing.DEFAULT)) {
            service.start();
            if (service.httpPort() > 0) {
                var http = config.service().http();
                String host = http.host().contains(":") ? "[" + http.host() + "]" : http.host();
                out().println("http: " + (http.tls() != null ? "https" : "http") + "://" + host + ":" + service.httpPort()
                        + "/ (status), /metrics, /health" + (http.user() != null ? " (basic auth)" : ""));
                out().flush();
            }
            stop.await();
        } finally {
            stopped.countDown();
        }
        return OK;
    }
}
