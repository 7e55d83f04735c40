package dev.caravan.dsl;

import dev.caravan.model.Durations;
import dev.caravan.model.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0 2 * * *      | 0 0 2 * * ?",
            "*/5 * * * *    | 0 */5 * * * ?",
            "30 4 1 * *     | 0 30 4 1 * ?",
            "0 2 * * 0      | 0 0 2 ? * 1",
            "0 2 * * 7      | 0 0 2 ? * 1",
            "0 2 * * 1-5    | 0 0 2 ? * 2-6",
            "0 2 * * 5-7    | 0 0 2 ? * 6-7,1",
            "0 2 * * 0,3    | 0 0 2 ? * 1,4",
            "0 2 * * MON-FRI| 0 0 2 ? * MON-FRI",
            "0 0 2 * * ?    | 0 0 2 * * ?",
            "0 0 2 ? * SUN 2030 | 0 0 2 ? * SUN 2030",
            "@hourly        | 0 0 * * * ?",
            "@daily         | 0 0 0 * * ?",
            "@midnight      | 0 0 0 * * ?",
            "@weekly        | 0 0 0 ? * SUN",
            "@monthly       | 0 0 0 1 * ?",
            "@yearly        | 0 0 0 1 1 ?"})
    void every_schedule_form_becomes_a_quartz_cron(String expression, String quartz) {
        assertThat(Schedules.parse(expression)).isEqualTo(Schedule.cron(expression, quartz));
    }

    @Test
    void every_takes_seconds_minutes_hours_and_days() {
        assertThat(Schedules.every("30s").every()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Schedules.every("15m")).isEqualTo(Schedule.every("every('15m')", Duration.ofMinutes(15)));
        assertThat(Schedules.every("6h").every()).isEqualTo(Duration.ofHours(6));
        assertThat(Schedules.every("1d").every()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void bad_expressions_say_what_is_wrong() {
        assertThatThrownBy(() -> Schedules.parse("0 2 1 * 1")).hasMessageContaining("cannot both be set");
        assertThatThrownBy(() -> Schedules.parse("61 * * * *")).hasMessageStartingWith("invalid schedule '61 * * * *'");
        assertThatThrownBy(() -> Schedules.parse("@fortnightly")).hasMessage("invalid schedule '@fortnightly': unknown macro @fortnightly");
        assertThatThrownBy(() -> Schedules.parse("* *")).hasMessage("invalid schedule '* *': has 2 fields");
        assertThatThrownBy(() -> Schedules.every("0m")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> Schedules.every("15 minutes")).hasMessageContaining("invalid duration '15 minutes'");
    }

    @Test
    void a_cron_fires_next_at_its_time_in_the_plan_zone() {
        Schedule nightly = Schedules.parse("0 2 * * *");
        ZonedDateTime after = ZonedDateTime.of(2025, 3, 15, 14, 30, 22, 0, BERLIN);
        assertThat(Schedules.nextFire(nightly, BERLIN, after))
                .contains(ZonedDateTime.of(2025, 3, 16, 2, 0, 0, 0, BERLIN));
        ZonedDateTime sameInUtc = after.withZoneSameInstant(ZoneId.of("UTC"));
        assertThat(Schedules.nextFire(nightly, ZoneId.of("UTC"), sameInUtc))
                .contains(ZonedDateTime.of(2025, 3, 16, 2, 0, 0, 0, ZoneId.of("UTC")));
    }

    @Test
    void a_weekday_cron_skips_the_weekend() {
        Schedule weekdays = Schedules.parse("0 2 * * 1-5");
        ZonedDateTime saturday = ZonedDateTime.of(2025, 3, 15, 12, 0, 0, 0, BERLIN);
        assertThat(Schedules.nextFire(weekdays, BERLIN, saturday))
                .contains(ZonedDateTime.of(2025, 3, 17, 2, 0, 0, 0, BERLIN));
    }

    @Test
    void a_cron_in_the_past_never_fires_again() {
        Schedule once = Schedules.parse("0 0 2 1 1 ? 2001");
        assertThat(Schedules.nextFire(once, BERLIN, ZonedDateTime.now(BERLIN))).isEmpty();
    }

    @Test
    void an_interval_fires_one_interval_after_the_given_time() {
        ZonedDateTime after = ZonedDateTime.of(2025, 3, 15, 14, 30, 0, 0, BERLIN);
        assertThat(Schedules.nextFire(Schedules.every("15m"), BERLIN, after))
                .contains(ZonedDateTime.of(2025, 3, 15, 14, 45, 0, 0, BERLIN));
    }

    @Test
    void sizes_use_decimal_and_binary_units() {
        assertThat(Sizes.parse("500 MB")).isEqualTo(500_000_000L);
        assertThat(Sizes.parse("50 GB")).isEqualTo(50_000_000_000L);
        assertThat(Sizes.parse("1.5TiB")).isEqualTo(1_649_267_441_664L);
        assertThat(Sizes.parse("2 GiB")).isEqualTo(2_147_483_648L);
        assertThat(Sizes.parse("1024")).isEqualTo(1024L);
        assertThatThrownBy(() -> Sizes.parse("50 GBs")).hasMessageStartingWith("invalid size '50 GBs'");
    }

    @Test
    void durations_take_weeks_too() {
        assertThat(Durations.parse("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    }
}
