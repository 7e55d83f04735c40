package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.model.Schedule;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The camel-quartz URI that fires a plan: its cron in the plan's zone, or a fixed interval. */
public final class Triggers {
    private Triggers() {
    }

    public static String quartz(Plan p) {
        Schedule s = p.schedule();
        String base = "quartz://caravan/" + p.name() + "?stateful=true";
        if (s.every() != null) {
            return base + "&trigger.repeatInterval=" + s.every().toMillis() + "&trigger.repeatCount=-1";
        }
        return base + "&cron=" + URLEncoder.encode(s.quartzCron(), StandardCharsets.UTF_8)
                + "&trigger.timeZone=" + URLEncoder.encode(p.timezone().getId(), StandardCharsets.UTF_8);
    }
}
