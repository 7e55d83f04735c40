package dev.caravan.model;

import java.time.Duration;

/**
 * When a plan fires. {@code expression} is what the operator wrote; exactly one of
 * {@code quartzCron} (a Quartz cron expression, seconds first) and {@code every} is set.
 */
public record Schedule(String expression, String quartzCron, Duration every) {
    public static Schedule cron(String expression, String quartzCron) {
        return new Schedule(expression, quartzCron, null);
    }

    public static Schedule every(String expression, Duration every) {
        return new Schedule(expression, null, every);
    }
}
