package dev.caravan.retention;

import dev.caravan.model.Retention;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The calendar periods of the GFS rules. A backup's period is named from its local date-time in
 * the plan's zone; that name is both the grouping key and what the reason shows
 * ({@code daily 2025-03-15}).
 */
enum Period {
    HOURLY("hourly", Retention::hourly,
            t -> String.format(Locale.ROOT, "%04d-%02d-%02dT%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour())),
    DAILY("daily", Retention::daily,
            t -> String.format(Locale.ROOT, "%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth())),
    /** ISO weeks: Monday to Sunday, numbered within the ISO week-based year. */
    WEEKLY("weekly", Retention::weekly,
            t -> String.format(Locale.ROOT, "%04d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))),
    MONTHLY("monthly", Retention::monthly,
            t -> String.format(Locale.ROOT, "%04d-%02d", t.getYear(), t.getMonthValue())),
    YEARLY("yearly", Retention::yearly,
            t -> String.format(Locale.ROOT, "%04d", t.getYear()));

    private final String rule;
    private final ToIntFunction<Retention> count;
    private final Function<ZonedDateTime, String> name;

    Period(String rule, ToIntFunction<Retention> count, Function<ZonedDateTime, String> name) {
        this.rule = rule;
        this.count = count;
        this.name = name;
    }

    /** The rule's name as written in the DSL and in reasons. */
    String rule() {
        return rule;
    }

    /** How many periods the rules ask for; 0 means the rule is off. */
    int count(Retention rules) {
        return count.applyAsInt(rules);
    }

    /**
     * The period's name: {@code 2025-03-15T14}, {@code 2025-03-15}, {@code 2025-W11},
     * {@code 2025-03}, {@code 2025}.
     */
    String name(ZonedDateTime localTime) {
        return name.apply(localTime);
    }
}
