package dev.caravan.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.caravan.model.Retention;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(UTC);

    @Test
    void no_backups_means_nothing_to_keep_or_prune() {
        Decision d = RetentionPolicy.decide(List.of(), Rules.of().keepLast(3).build(), UTC, at("2025-03-15T12:00:00Z"));

        assertThat(d.kept()).isEmpty();
        assertThat(d.prune()).isEmpty();
    }

    @Test
    void keepLast_keeps_the_n_newest_and_prunes_the_rest() {
        List<BackupRef> backups = List.of(b("2025-03-10T02:00:00Z"), b("2025-03-14T02:00:00Z"), b("2025-03-12T02:00:00Z"),
                b("2025-03-11T02:00:00Z"), b("2025-03-13T02:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(3).build(), UTC, at("2025-03-15T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250314T020000Z", List.of("keepLast 3")),
                entry("20250313T020000Z", List.of("keepLast 3")),
                entry("20250312T020000Z", List.of("keepLast 3")));
        assertThat(ids(d.prune())).containsExactly("20250311T020000Z", "20250310T020000Z");
    }

    @Test
    void daily_7_over_30_days_of_backups_keeps_the_newest_of_each_of_the_last_7_days() {
        List<BackupRef> backups = new ArrayList<>();
        Instant first = at("2025-03-01T02:00:00Z");
        for (int day = 0; day < 30; day++) {
            backups.add(b(first.plus(Duration.ofDays(day))));
            backups.add(b(first.plus(Duration.ofDays(day)).plus(Duration.ofHours(12))));
        }

        Decision d = RetentionPolicy.decide(backups, Rules.of().daily(7).build(), UTC, at("2025-03-31T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250330T140000Z", List.of("daily 2025-03-30")),
                entry("20250329T140000Z", List.of("daily 2025-03-29")),
                entry("20250328T140000Z", List.of("daily 2025-03-28")),
                entry("20250327T140000Z", List.of("daily 2025-03-27")),
                entry("20250326T140000Z", List.of("daily 2025-03-26")),
                entry("20250325T140000Z", List.of("daily 2025-03-25")),
                entry("20250324T140000Z", List.of("daily 2025-03-24")));
        assertThat(d.prune()).hasSize(53);
    }

    @Test
    void daily_counts_only_days_that_have_a_backup() {
        List<BackupRef> backups = List.of(b("2025-03-01T02:00:00Z"), b("2025-03-02T02:00:00Z"),
                b("2025-03-05T02:00:00Z"), b("2025-03-09T02:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().daily(3).build(), UTC, at("2025-03-20T00:00:00Z"));

        assertThat(ids(d)).containsExactly("20250309T020000Z", "20250305T020000Z", "20250302T020000Z");
    }

    @Test
    void days_are_those_of_the_plan_zone() {
        // 23:30 UTC on the 15th is 00:30 on the 16th in Berlin: two backups of the same Berlin day.
        List<BackupRef> backups = List.of(b("2025-03-15T22:30:00Z"), b("2025-03-15T23:30:00Z"), b("2025-03-14T23:30:00Z"));
        Retention daily2 = Rules.of().daily(2).build();
        Instant now = at("2025-03-20T00:00:00Z");

        assertThat(reasons(RetentionPolicy.decide(backups, daily2, UTC, now))).containsExactly(
                entry("20250315T233000Z", List.of("daily 2025-03-15")),
                entry("20250314T233000Z", List.of("daily 2025-03-14")));
        assertThat(reasons(RetentionPolicy.decide(backups, daily2, ZoneId.of("Europe/Berlin"), now))).containsExactly(
                entry("20250315T233000Z", List.of("daily 2025-03-16")),
                entry("20250315T223000Z", List.of("daily 2025-03-15")));
    }

    @Test
    void hourly_keeps_the_newest_of_each_hour() {
        List<BackupRef> backups = List.of(b("2025-03-15T10:05:00Z"), b("2025-03-15T10:35:00Z"), b("2025-03-15T11:05:00Z"),
                b("2025-03-15T13:05:00Z"), b("2025-03-15T13:35:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().hourly(3).build(), UTC, at("2025-03-15T14:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250315T133500Z", List.of("hourly 2025-03-15T13")),
                entry("20250315T110500Z", List.of("hourly 2025-03-15T11")),
                entry("20250315T103500Z", List.of("hourly 2025-03-15T10")));
    }

    @Test
    void weekly_uses_iso_weeks_across_the_year_boundary() {
        // Mon 2024-12-30 .. Sun 2025-01-05 is ISO week 2025-W01; Sun 2024-12-29 closes 2024-W52.
        List<BackupRef> backups = List.of(b("2025-01-02T02:00:00Z"), b("2024-12-30T02:00:00Z"), b("2024-12-29T02:00:00Z"),
                b("2024-12-23T02:00:00Z"), b("2024-12-22T02:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().weekly(2).build(), UTC, at("2025-01-03T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250102T020000Z", List.of("weekly 2025-W01")),
                entry("20241229T020000Z", List.of("weekly 2024-W52")));
        assertThat(ids(d.prune())).containsExactly("20241230T020000Z", "20241223T020000Z", "20241222T020000Z");
    }

    @Test
    void monthly_skips_months_without_backups() {
        List<BackupRef> backups = List.of(b("2024-01-31T02:00:00Z"), b("2024-02-10T02:00:00Z"), b("2024-05-01T02:00:00Z"),
                b("2024-06-01T02:00:00Z"), b("2024-06-20T02:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().monthly(3).build(), UTC, at("2024-07-01T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20240620T020000Z", List.of("monthly 2024-06")),
                entry("20240501T020000Z", List.of("monthly 2024-05")),
                entry("20240210T020000Z", List.of("monthly 2024-02")));
    }

    @Test
    void yearly_keeps_the_newest_of_each_year() {
        List<BackupRef> backups = List.of(b("2022-06-01T00:00:00Z"), b("2022-12-31T23:00:00Z"), b("2023-03-01T00:00:00Z"),
                b("2024-01-01T00:00:00Z"), b("2024-12-01T00:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().yearly(2).build(), UTC, at("2025-01-01T00:00:00Z"));

        assertThat(ids(d)).containsExactly("20241201T000000Z", "20230301T000000Z");
    }

    @Test
    void gfs_rules_combine_as_a_union_and_each_backup_lists_every_rule_that_keeps_it() {
        List<BackupRef> backups = new ArrayList<>();
        Instant first = at("2025-01-01T02:00:00Z");
        for (int day = 0; day < 60; day++) {
            backups.add(b(first.plus(Duration.ofDays(day))));
        }
        Retention rules = Rules.of().keepLast(2).daily(3).weekly(2).monthly(2).build();

        Decision d = RetentionPolicy.decide(backups, rules, UTC, at("2025-03-02T12:00:00Z"));

        // Last backup: Sat 2025-03-01 (week 2025-W09); weeks end on Sundays: 2025-02-23 closes W08.
        assertThat(reasons(d)).containsExactly(
                entry("20250301T020000Z", List.of("keepLast 2", "daily 2025-03-01", "weekly 2025-W09", "monthly 2025-03")),
                entry("20250228T020000Z", List.of("keepLast 2", "daily 2025-02-28", "monthly 2025-02")),
                entry("20250227T020000Z", List.of("daily 2025-02-27")),
                entry("20250223T020000Z", List.of("weekly 2025-W08")));
    }

    @Test
    void within_keeps_every_backup_up_to_that_age_including_the_boundary() {
        List<BackupRef> backups = List.of(b("2025-03-13T12:00:00Z"), b("2025-03-13T11:59:59Z"), b("2025-03-14T06:00:00Z"),
                b("2025-03-15T11:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().within(Duration.ofDays(2)).build(), UTC, at("2025-03-15T12:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250315T110000Z", List.of("within 2d")),
                entry("20250314T060000Z", List.of("within 2d")),
                entry("20250313T120000Z", List.of("within 2d")));
        assertThat(ids(d.prune())).containsExactly("20250313T115959Z");
    }

    @Test
    void the_newest_backup_is_kept_even_when_no_rule_covers_it() {
        List<BackupRef> backups = List.of(b("2025-01-01T00:00:00Z"), b("2025-01-02T00:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().within(Duration.ofHours(1)).build(), UTC, at("2025-03-15T12:00:00Z"));

        assertThat(reasons(d)).containsExactly(entry("20250102T000000Z", List.of("newest backup")));
        assertThat(ids(d.prune())).containsExactly("20250101T000000Z");
    }

    @Test
    void no_retention_rules_keep_everything() {
        List<BackupRef> backups = List.of(b("2025-01-01T00:00:00Z"), b("2025-01-02T00:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Retention.KEEP_ALL, UTC, at("2025-03-15T12:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250102T000000Z", List.of("no retention rules")),
                entry("20250101T000000Z", List.of("no retention rules")));
        assertThat(d.prune()).isEmpty();
    }

    @Test
    void backups_dated_after_now_are_kept_and_use_up_no_rule() {
        List<BackupRef> backups = List.of(b("2025-03-16T00:00:00Z"), b("2025-03-15T06:00:00Z"), b("2025-03-14T06:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(1).build(), UTC, at("2025-03-15T12:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250316T000000Z", List.of("newer than now (clock skew?)")),
                entry("20250315T060000Z", List.of("keepLast 1")));
        assertThat(ids(d.prune())).containsExactly("20250314T060000Z");
    }

    @Test
    void labels_with_their_own_rules_are_decided_apart_from_the_rest() {
        List<BackupRef> backups = List.of(
                b("2025-03-10T02:00:00Z", "scheduled"), b("2025-03-11T02:00:00Z", "scheduled"),
                b("2025-03-11T09:00:00Z", "pre-update"), b("2025-03-12T02:00:00Z", "manual"),
                b("2025-03-12T09:00:00Z", "pre-update"), b("2025-03-13T09:00:00Z", "pre-update"),
                b("2025-03-14T02:00:00Z", null));
        Retention rules = Rules.of().keepLast(2).label("pre-update", Rules.of().keepLast(1)).build();

        Decision d = RetentionPolicy.decide(backups, rules, UTC, at("2025-03-15T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250314T020000Z", List.of("keepLast 2")),
                entry("20250313T090000Z", List.of("label pre-update: keepLast 1")),
                entry("20250312T020000Z", List.of("keepLast 2")));
        assertThat(ids(d.prune())).containsExactly("20250312T090000Z", "20250311T090000Z", "20250311T020000Z",
                "20250310T020000Z");
    }

    @Test
    void a_label_whose_rules_are_empty_keeps_all_of_its_backups() {
        List<BackupRef> backups = List.of(b("2025-03-10T02:00:00Z", "pre-update"), b("2025-03-11T02:00:00Z", "pre-update"),
                b("2025-03-12T02:00:00Z", "scheduled"), b("2025-03-13T02:00:00Z", "scheduled"));
        Retention rules = Rules.of().keepLast(1).label("pre-update", Rules.of()).build();

        Decision d = RetentionPolicy.decide(backups, rules, UTC, at("2025-03-15T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250313T020000Z", List.of("keepLast 1")),
                entry("20250311T020000Z", List.of("label pre-update: no retention rules")),
                entry("20250310T020000Z", List.of("label pre-update: no retention rules")));
    }

    @Test
    void maxTotalSize_drops_the_oldest_kept_backups_until_the_rest_fits() {
        List<BackupRef> backups = List.of(sized("2025-03-10T02:00:00Z", 40), sized("2025-03-11T02:00:00Z", 10),
                sized("2025-03-12T02:00:00Z", 30), sized("2025-03-13T02:00:00Z", 30), sized("2025-03-14T02:00:00Z", 30));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(5).maxTotalSize(100).build(), UTC,
                at("2025-03-15T00:00:00Z"));

        // Newest first the totals are 30, 60, 90, 100 (the cap is inclusive), then 140 with the oldest.
        assertThat(ids(d)).containsExactly("20250314T020000Z", "20250313T020000Z", "20250312T020000Z", "20250311T020000Z");
        assertThat(ids(d.prune())).containsExactly("20250310T020000Z");
    }

    @Test
    void a_backup_the_size_cap_drops_names_the_cap_the_rule_that_kept_it_and_how_far_over_the_set_was() {
        long mb = 1_000_000;
        List<BackupRef> backups = List.of(sized("2025-03-11T02:00:00Z", 2 * mb), sized("2025-03-12T02:00:00Z", 2 * mb),
                sized("2025-03-13T02:00:00Z", 2 * mb), sized("2025-03-14T02:00:00Z", 1_500_000));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(10).daily(2).maxTotalSize(5 * mb).build(), UTC,
                at("2025-03-15T00:00:00Z"));

        assertThat(ids(d)).containsExactly("20250314T020000Z", "20250313T020000Z");
        // keepLast keeps all four (7.5 MB); the cap of 5 MB drops the two oldest
        assertThat(d.pruneReasons()).containsExactly(
                entry("20250312T020000Z", "maxTotalSize 5 MB dropped it (kept by keepLast 10; "
                        + "the backups the rules keep total 7.5 MB, 2.5 MB over the cap)"),
                entry("20250311T020000Z", "maxTotalSize 5 MB dropped it (kept by keepLast 10; "
                        + "the backups the rules keep total 7.5 MB, 2.5 MB over the cap)"));
    }

    @Test
    void a_backup_no_rule_keeps_says_so_and_the_cap_does_not_claim_it() {
        List<BackupRef> backups = List.of(sized("2025-03-12T02:00:00Z", 10), sized("2025-03-13T02:00:00Z", 60),
                sized("2025-03-14T02:00:00Z", 50));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(2).maxTotalSize(100).build(), UTC,
                at("2025-03-15T00:00:00Z"));

        assertThat(d.pruneReasons()).containsExactly(
                entry("20250313T020000Z", "maxTotalSize 100 bytes dropped it (kept by keepLast 2; "
                        + "the backups the rules keep total 110 bytes, 10 bytes over the cap)"),
                entry("20250312T020000Z", "no retention rule keeps it"));
    }

    @Test
    void the_size_cap_alone_and_in_a_label_block_says_which_cap_dropped_a_backup() {
        List<BackupRef> backups = List.of(new BackupRef("20250312T020000Z", at("2025-03-12T02:00:00Z"), 40, "pre-update"),
                new BackupRef("20250313T020000Z", at("2025-03-13T02:00:00Z"), 40, "pre-update"),
                sized("2025-03-13T03:00:00Z", 40), sized("2025-03-14T02:00:00Z", 40));
        Retention rules = Rules.of().maxTotalSize(50)
                .label("pre-update", Rules.of().keepLast(5).maxTotalSize(60)).build();

        Decision d = RetentionPolicy.decide(backups, rules, UTC, at("2025-03-15T00:00:00Z"));

        assertThat(d.pruneReasons()).containsExactly(
                entry("20250313T030000Z", "maxTotalSize 50 bytes dropped it (the backups the rules keep total 80 bytes, "
                        + "30 bytes over the cap)"),
                entry("20250312T020000Z", "label pre-update: maxTotalSize 60 bytes dropped it (kept by keepLast 5; "
                        + "the backups the rules keep total 80 bytes, 20 bytes over the cap)"));
    }

    @Test
    void maxTotalSize_never_skips_over_a_backup_to_fit_an_older_smaller_one() {
        List<BackupRef> backups = List.of(sized("2025-03-11T02:00:00Z", 1), sized("2025-03-12T02:00:00Z", 60),
                sized("2025-03-13T02:00:00Z", 50));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(3).maxTotalSize(100).build(), UTC,
                at("2025-03-15T00:00:00Z"));

        assertThat(ids(d)).containsExactly("20250313T020000Z");
        assertThat(ids(d.prune())).containsExactly("20250312T020000Z", "20250311T020000Z");
    }

    @Test
    void maxTotalSize_never_drops_the_newest_backup_and_says_so() {
        List<BackupRef> backups = List.of(sized("2025-03-13T02:00:00Z", 50), sized("2025-03-14T02:00:00Z", 500));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(2).maxTotalSize(100).build(), UTC,
                at("2025-03-15T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250314T020000Z", List.of("keepLast 2", "over maxTotalSize (100 bytes), kept by safety rule")));
        assertThat(ids(d.prune())).containsExactly("20250313T020000Z");
    }

    @Test
    void with_a_size_cap_raising_a_count_can_push_an_older_backup_out() {
        List<BackupRef> backups = List.of(sized("2025-02-20T02:00:00Z", 10), sized("2025-03-13T02:00:00Z", 10),
                sized("2025-03-14T02:00:00Z", 10));
        Instant now = at("2025-03-15T00:00:00Z");

        Decision before = RetentionPolicy.decide(backups, Rules.of().keepLast(1).monthly(2).maxTotalSize(20).build(), UTC, now);
        Decision after = RetentionPolicy.decide(backups, Rules.of().keepLast(2).monthly(2).maxTotalSize(20).build(), UTC, now);

        assertThat(ids(before)).containsExactly("20250314T020000Z", "20250220T020000Z");
        assertThat(ids(after)).containsExactly("20250314T020000Z", "20250313T020000Z");
    }

    @Test
    void maxTotalSize_alone_keeps_as_many_newest_backups_as_fit() {
        List<BackupRef> backups = List.of(sized("2025-03-12T02:00:00Z", 40), sized("2025-03-13T02:00:00Z", 40),
                sized("2025-03-14T02:00:00Z", 40));

        Decision d = RetentionPolicy.decide(backups, Rules.of().maxTotalSize(100).build(), UTC, at("2025-03-15T00:00:00Z"));

        assertThat(reasons(d)).containsExactly(
                entry("20250314T020000Z", List.of("no retention rules")),
                entry("20250313T020000Z", List.of("no retention rules")));
    }

    @Test
    void equal_times_are_ordered_by_id() {
        Instant t = at("2025-03-14T02:00:00Z");
        List<BackupRef> backups = List.of(new BackupRef("a", t, 1, null), new BackupRef("c", t, 1, null),
                new BackupRef("b", t, 1, null));

        Decision d = RetentionPolicy.decide(backups, Rules.of().keepLast(1).build(), UTC, at("2025-03-15T00:00:00Z"));

        assertThat(ids(d)).containsExactly("c");
        assertThat(ids(d.prune())).containsExactly("b", "a");
    }

    @Test
    void within_is_shown_the_way_operators_write_durations() {
        List<BackupRef> backups = List.of(b("2025-03-15T11:00:00Z"));

        Decision d = RetentionPolicy.decide(backups, Rules.of().within(Duration.ofHours(36).plusMinutes(5)).build(), UTC,
                at("2025-03-15T12:00:00Z"));

        assertThat(d.kept().get(0).reasons()).containsExactly("within 1d12h5m");
    }

    @Test
    void duplicate_ids_are_refused() {
        List<BackupRef> backups = List.of(b("2025-03-15T11:00:00Z"), b("2025-03-15T11:00:00Z"));

        assertThatThrownBy(() -> RetentionPolicy.decide(backups, Retention.KEEP_ALL, UTC, at("2025-03-15T12:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate backup id 20250315T110000Z");
    }

    @Test
    void negative_counts_are_refused_with_the_rule_named() {
        Retention rules = Rules.of().keepLast(1).label("pre-update", Rules.of().weekly(-1)).build();

        assertThatThrownBy(() -> RetentionPolicy.decide(List.of(), rules, UTC, at("2025-03-15T12:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention label 'pre-update': weekly must not be negative, was -1");
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static BackupRef b(Instant time) {
        return new BackupRef(ID.format(time), time, 1, "scheduled");
    }

    private static BackupRef b(String iso) {
        return b(at(iso));
    }

    private static BackupRef b(String iso, String label) {
        Instant time = at(iso);
        return new BackupRef(ID.format(time), time, 1, label);
    }

    private static BackupRef sized(String iso, long size) {
        Instant time = at(iso);
        return new BackupRef(ID.format(time), time, size, "scheduled");
    }

    private static Map<String, List<String>> reasons(Decision d) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        d.kept().forEach(k -> out.put(k.backup().id(), k.reasons()));
        return out;
    }

    private static List<String> ids(Decision d) {
        return d.kept().stream().map(k -> k.backup().id()).toList();
    }

    private static List<String> ids(List<BackupRef> backups) {
        return backups.stream().map(BackupRef::id).toList();
    }
}
