package dev.caravan.service;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/**
 * The next times Quartz fires a plan's backup and its restore drill, read from the triggers the
 * service's routes registered ({@link Triggers}: group {@code caravan} and {@code caravan-drill},
 * named after the plan), so the page shows what will happen, not a second reading of the cron.
 */
final class UpcomingFires {
    /** One coming fire. */
    record Fire(String what, Instant at) {
    }

    private UpcomingFires() {
    }

    /** Up to {@code perTrigger} fires of each of the plan's triggers, soonest first. */
    static List<Fire> of(CamelContext camel, String plan, int perTrigger) {
        List<Fire> fires = new ArrayList<>();
        try {
            Scheduler s = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
            if (s == null) {
                return fires;
            }
            add(fires, s.getTrigger(TriggerKey.triggerKey(plan, "caravan")), "backup", perTrigger);
            add(fires, s.getTrigger(TriggerKey.triggerKey(plan, "caravan-drill")), "restore drill", perTrigger);
        } catch (Exception e) {
            // no scheduler yet (nothing scheduled): no fires to show
        }
        fires.sort(Comparator.comparing(Fire::at));
        return fires;
    }

    private static void add(List<Fire> fires, Trigger t, String what, int n) {
        if (t == null) {
            return;
        }
        Date next = t.getNextFireTime();
        for (int i = 0; i < n && next != null; i++) {
            fires.add(new Fire(what, next.toInstant()));
            next = t.getFireTimeAfter(next);
        }
    }
}
