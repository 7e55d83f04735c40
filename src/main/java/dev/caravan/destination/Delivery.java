package dev.caravan.destination;

import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Durations;
import dev.caravan.spi.OptionDef;
import dev.caravan.spi.Rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.caravan.spi.OptionDef.Type.INT;
import static dev.caravan.spi.OptionDef.Type.STRING;

/**
 * How hard Caravan tries to get one object to a destination: {@code retries} redeliveries with
 * exponential back-off (1 s, 2 s, 4 s, ...), all within {@code timeout}, after which the destination
 * counts as failed for that object (the other destinations are not affected). Two options every
 * destination kind accepts.
 */
public record Delivery(int retries, Duration timeout) {
    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);
    public static final Delivery DEFAULT = new Delivery(DEFAULT_RETRIES, DEFAULT_TIMEOUT);

    public static final List<OptionDef> OPTIONS = List.of(
            OptionDef.optional("retries", INT, "Times a failed upload of one object is retried, after 1 s, 2 s, 4 s, ... (default 2; 0 turns retries off).", "3"),
            OptionDef.optional("timeout", STRING, "Longest one object may take to reach this destination, retries included;"
                    + " after it the destination counts as failed for this run (default '2h').", "'30m'"));

    public Delivery {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more: " + retries);
        }
    }

    /** The first retry's delay unless {@link #RETRY_DELAY_ENV} or {@link #RETRY_DELAY_PROPERTY} says otherwise. */
    public static final long DEFAULT_RETRY_DELAY_MILLIS = 1000;
    public static final String RETRY_DELAY_ENV = "CARAVAN_RETRY_DELAY_MS";
    public static final String RETRY_DELAY_PROPERTY = "caravan.retry.delay.ms";

    /**
     * Milliseconds before the first retry of a failed upload (each next one waits twice as long): 1000,
     * or the whole number in the system property {@code caravan.retry.delay.ms} or else the environment
     * variable {@code CARAVAN_RETRY_DELAY_MS}. The test suite sets it small, so that a destination it
     * breaks on purpose is still retried as often as in production but costs no real seconds.
     */
    public static long firstRetryDelayMillis() {
        String value = System.getProperty(RETRY_DELAY_PROPERTY, System.getenv(RETRY_DELAY_ENV));
        if (value == null || value.isBlank()) {
            return DEFAULT_RETRY_DELAY_MILLIS;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(RETRY_DELAY_ENV + " must be a whole number of milliseconds, 0 or more: '" + value + "'");
    }

    /** A kind's own options followed by {@link #OPTIONS}. */
    public static List<OptionDef> withCommon(List<OptionDef> own) {
        List<OptionDef> all = new ArrayList<>(own);
        all.addAll(OPTIONS);
        return List.copyOf(all);
    }

    /** What {@link #problems} checks, for the DSL reference. */
    public static final List<String> RULES = List.of("retries is 0 or more; timeout is a duration such as '30m' or '2h'.");

    /** The rules of retries and timeout, which every destination block takes (see {@link Rules}). */
    public static List<String> problems(DestinationSpec spec) {
        Rules rules = new Rules().atLeast(spec.options(), "retries", 0);
        spec.options().string("timeout").ifPresent(t -> {
            try {
                Durations.parse(t);
            } catch (IllegalArgumentException e) {
                rules.rule(true, "timeout: " + e.getMessage());
            }
        });
        return rules.problems();
    }

    /** The delivery settings of a destination block; a broken rule is one sentence naming the destination. */
    public static Delivery of(DestinationSpec spec) {
        Rules.refuse(spec.kind() + " '" + spec.name() + "'", problems(spec));
        int retries = spec.options().integer("retries", DEFAULT_RETRIES);
        Duration timeout = spec.options().string("timeout").map(Durations::parse).orElse(DEFAULT_TIMEOUT);
        return new Delivery(retries, timeout);
    }

    /** {@code 2h}, {@code 30m}, {@code 45s}: the timeout as written in plans. */
    public String describeTimeout() {
        long s = timeout.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
