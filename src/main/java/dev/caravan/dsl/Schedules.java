package dev.caravan.dsl;

import dev.caravan.model.Durations;
import dev.caravan.model.Schedule;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Schedule expressions: 5-field Unix cron (turned into Quartz form), 6/7-field Quartz cron,
 * {@code @hourly @daily @midnight @weekly @monthly @yearly @annually}, and {@code every('15m')}.
 * Quartz's own {@link CronExpression} validates every cron.
 */
public final class Schedules {
    static final String FORMS = "expected a 5-field cron ('0 2 * * *'), a 6/7-field Quartz cron ('0 0 2 * * ?'),"
            + " @hourly, @daily, @weekly, @monthly, @yearly or every('15m')";

    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 0 * * * ?",
            "@daily", "0 0 0 * * ?",
            "@midnight", "0 0 0 * * ?",
            "@weekly", "0 0 0 ? * SUN",
            "@monthly", "0 0 0 1 * ?",
            "@yearly", "0 0 0 1 1 ?",
            "@annually", "0 0 0 1 1 ?");

    private Schedules() {
    }

    /** @throws IllegalArgumentException with a sentence saying what is wrong */
    public static Schedule parse(String expr) {
        String e = expr.strip();
        if (e.startsWith("@")) {
            String q = MACROS.get(e);
            if (q == null) {
                throw new IllegalArgumentException("invalid schedule '" + expr + "': unknown macro " + e);
            }
            return Schedule.cron(expr, q);
        }
        String[] f = e.split("\\s+");
        String quartz = switch (f.length) {
            case 5 -> fromUnix(expr, f);
            case 6, 7 -> String.join(" ", f);
            default -> throw new IllegalArgumentException("invalid schedule '" + expr + "': has " + f.length
                    + " fields");
        };
        try {
            new CronExpression(quartz);
        } catch (ParseException ex) {
            throw new IllegalArgumentException("invalid schedule '" + expr + "': " + ex.getMessage(), ex);
        }
        return Schedule.cron(expr, quartz);
    }

    /** {@code every('15m')}: a fixed interval. @throws IllegalArgumentException when not a duration */
    public static Schedule every(String interval) {
        Duration d = Durations.parse(interval);
        return Schedule.every("every('" + interval + "')", d);
    }

    /**
     * The first fire strictly after {@code after}, in {@code zone}. A cron schedule uses Quartz's
     * rules; an {@code every} schedule fires one interval after the previous fire, so the next fire
     * after {@code after} is {@code after + interval}. Empty when a cron never fires again.
     */
    public static Optional<ZonedDateTime> nextFire(Schedule s, ZoneId zone, ZonedDateTime after) {
        if (s.every() != null) {
            return Optional.of(after.withZoneSameInstant(zone).plus(s.every()));
        }
        try {
            CronExpression cron = new CronExpression(s.quartzCron());
            cron.setTimeZone(TimeZone.getTimeZone(zone));
            Date next = cron.getNextValidTimeAfter(Date.from(after.toInstant()));
            return Optional.ofNullable(next).map(d -> d.toInstant().atZone(zone));
        } catch (ParseException ex) {
            throw new IllegalArgumentException("invalid schedule '" + s.expression() + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * {@code m h dom mon dow} -> {@code 0 m h dom mon dow} with Quartz's {@code ?}: Quartz cannot
     * combine day-of-month and day-of-week, and numbers Sunday 1..Saturday 7 where cron uses 0..6 (and 7).
     */
    private static String fromUnix(String expr, String[] f) {
        String dom = f[2];
        String dow = f[4];
        if (dow.equals("*") || dow.equals("?")) {
            dow = "?";
        } else if (dom.equals("*") || dom.equals("?")) {
            dom = "?";
            dow = unixDaysOfWeek(expr, dow);
        } else {
            throw new IllegalArgumentException("invalid schedule '" + expr + "': a day of month and a day of week"
                    + " cannot both be set (Quartz does not support it); use '*' for one of them");
        }
        return String.join(" ", "0", f[0], f[1], dom, f[3], dow);
    }

    private static String unixDaysOfWeek(String expr, String dow) {
        StringBuilder out = new StringBuilder();
        for (String part : dow.split(",", -1)) {
            if (out.length() > 0) {
                out.append(',');
            }
            String[] step = part.split("/", 2);
            String[] range = step[0].split("-", 2);
            if (range.length == 2 && range[1].equals("7") && !range[0].equals("0")) {
                if (step.length == 2) {
                    throw new IllegalArgumentException("invalid schedule '" + expr + "': a day-of-week range"
                            + " that ends in 7 cannot take a step; start it from 0 instead");
                }
                out.append(day(expr, range[0])).append("-7,1");      // e.g. Fri..Sun: 6-7,1
            } else {
                out.append(day(expr, range[0]));
                if (range.length == 2) {
                    out.append('-').append(range[1].equals("7") ? "7" : day(expr, range[1]));
                }
            }
            if (step.length == 2) {
                out.append('/').append(step[1]);
            }
        }
        return out.toString();
    }

    private static String day(String expr, String token) {
        if (!token.chars().allMatch(Character::isDigit) || token.isEmpty()) {
            return token;                                  // names (MON), '*', L and # forms are the same in Quartz
        }
        int n = Integer.parseInt(token);
        if (n > 7) {
            throw new IllegalArgumentException("invalid schedule '" + expr + "': day of week " + n
                    + " is out of range 0..7");
        }
        return String.valueOf(n == 7 ? 1 : n + 1);
    }
}
