package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.model.Schedule;
import dev.caravan.pipeline.Engine;
import picocli.CommandLine.Command;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
                engine.addPlanRoute(p, trigger(p));
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

    /** The camel-quartz URI that fires a plan: cron in the plan's zone, or a fixed interval. */
    static String trigger(Plan p) {
        Schedule s = p.schedule();
        String base = "quartz://caravan/" + p.name() + "?stateful=true";
        if (s.every() != null) {
            return base + "&trigger.repeatInterval=" + s.every().toMillis() + "&trigger.repeatCount=-1";
        }
        return base + "&cron=" + URLEncoder.encode(s.quartzCron(), StandardCharsets.UTF_8)
                + "&trigger.timeZone=" + URLEncoder.encode(p.timezone().getId(), StandardCharsets.UTF_8);
    }
}
