package dev.caravan.service;

import dev.caravan.model.Plan;
import dev.caravan.model.Schedule;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The camel-quartz URI that fires a plan: its cron in the plan's zone, or a fixed interval. */
public final class Triggers {
    private Triggers() {
    }

    public static String quartz(Plan p) {
        return quartz("caravan", p.name(), p.schedule(), p.timezone());
    }

    /** The trigger of a plan's scheduled restore drill ({@code drill { schedule ... }}). */
    public static String drill(Plan p) {
        return quartz("caravan-drill", p.name(), p.drill().schedule(), p.timezone());
    }

    private static String quartz(String group, String name, Schedule s, java.time.ZoneId zone) {
        String base = "quartz://" + group + "/" + name + "?stateful=true";
        if (s.every() != null) {
            return base + "&trigger.repeatInterval=" + s.every().toMillis() + "&trigger.repeatCount=-1";
        }
        return base + "&cron=" + URLEncoder.encode(s.quartzCron(), StandardCharsets.UTF_8)
                + "&trigger.timeZone=" + URLEncoder.encode(zone.getId(), StandardCharsets.UTF_8);
    }
}
