package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import picocli.CommandLine.Command;

import java.util.concurrent.CountDownLatch;

@Command(name = "run", description = "Run as a service: fire every plan on its schedule until stopped (SIGTERM / Ctrl-C).")
final class RunCommand extends PlanCommand {

    @Override
    int execute() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (Engine engine = engine()) {
            int scheduled = 0;
            for (Plan p : config.plans()) {
                if (p.schedule() == null) {
                    out().println("plan '" + p.name() + "': no schedule, not scheduled");
                    continue;
                }
                engine.addPlanRoute(p, Triggers.quartz(p));
                scheduled++;
                out().println("plan '" + p.name() + "': scheduled " + p.schedule().expression() + " (" + p.timezone().getId() + ")");
            }
            out().flush();
            if (scheduled == 0) {
                err().println("caravan: no plan has a schedule; nothing to run");
                return USAGE;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "caravan-shutdown"));
            stop.await();
        }
        return OK;
    }
}
