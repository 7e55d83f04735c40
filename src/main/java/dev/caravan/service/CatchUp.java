package dev.caravan.service;

import dev.caravan.model.Plan;
import dev.caravan.model.Schedule;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

/** Whether a scheduled fire was missed while the service was down (systemd's {@code Persistent=true}). */
public final class CatchUp {
    private CatchUp() {
    }

    /**
     * True when the plan should have fired between its newest good backup and now, or never backed up
     * at all. Never for an {@code every(...)} schedule: its trigger fires as the service starts anyway.
     */
    public static boolean missed(Plan plan, Instant lastGood, Instant now) {
        Schedule s = plan.schedule();
        if (s == null || s.every() != null) {
            return false;
        }
        if (lastGood == null) {
            return true;
        }
        return nextFireAfter(plan, lastGood).isBefore(now);
    }

    /** The plan's first fire time after {@code t}. */
    public static Instant nextFireAfter(Plan plan, Instant t) {
        Schedule s = plan.schedule();
        if (s.every() != null) {
            return t.plus(s.every());
        }
        try {
            CronExpression cron = new CronExpression(s.quartzCron());
            cron.setTimeZone(TimeZone.getTimeZone(plan.timezone()));
            Date next = cron.getNextValidTimeAfter(Date.from(t));
            return next == null ? Instant.MAX : next.toInstant();
        } catch (ParseException e) {
            throw new IllegalArgumentException("plan '" + plan.name() + "': " + e.getMessage(), e);
        }
    }
}
