package dev.caravan.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.model.Retention;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link RetentionPolicy} over random histories of up to 200 backups spread over
 * about three years (with dense recent stretches, whole-hour ages, equal times and a few backups
 * from the future), random labels, random rule sets and zones with DST quirks.
 */
class RetentionPropertiesTest {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> LABELS_WITH_RULES = List.of("pre-update", "pre-restore", "manual");

    /** One generated case; its toString is what jqwik prints for a falsified (shrunk) example. */
    record Scenario(List<BackupRef> backups, Retention rules, ZoneId zone, Instant now) {
        Decision decide() {
            return RetentionPolicy.decide(backups, rules, zone, now);
        }
    }

    @Property
    void kept_set_and_reasons_are_exactly_those_of_the_reference_implementation(@ForAll("scenarios") Scenario s) {
        Decision d = s.decide();

        Map<String, Set<String>> actual = new HashMap<>();
        for (Decision.Kept k : d.kept()) {
            assertThat(k.reasons()).doesNotHaveDuplicates();
            actual.put(k.backup().id(), new LinkedHashSet<>(k.reasons()));
        }
        assertThat(actual).isEqualTo(ReferenceRetention.keep(s.backups(), s.rules(), s.zone(), s.now()));
        coverage(s, d);
    }

    /** Fails the property if the generators stop producing the cases that matter. */
    private static void coverage(Scenario s, Decision d) {
        Retention uncapped = withoutCaps(s.rules());
        int keptWithoutCap = RetentionPolicy.decide(s.backups(), uncapped, s.zone(), s.now()).kept().size();
        check("some backups pruned", !d.prune().isEmpty(), 30);
        check("history of 100 backups or more", s.backups().size() >= 100, 30);
        check("size cap drops a backup", keptWithoutCap > d.kept().size(), 10);
        check("label with its own rules", s.backups().stream().anyMatch(b -> b.label() != null && s.rules().labels().containsKey(b.label())), 20);
        check("backup from the future", s.backups().stream().anyMatch(b -> b.time().isAfter(s.now())), 20);
        check("two backups at the same time",
                s.backups().stream().map(BackupRef::time).distinct().count() < s.backups().size(), 10);
    }

    private static void check(String what, boolean happened, double atLeastPercent) {
        Statistics.label(what).collect(happened);
        Statistics.label(what).coverage(c -> c.check(true).percentage(p -> p >= atLeastPercent));
    }

    @Property
    void the_newest_backup_and_every_backup_from_the_future_are_kept(@ForAll("scenarios") Scenario s) {
        Assume.that(!s.backups().isEmpty());

        Decision d = s.decide();

        BackupRef newest = Collections.min(s.backups(), RetentionPolicy.NEWEST_FIRST);
        assertThat(d.kept()).isNotEmpty();
        assertThat(ids(d.kept())).contains(newest.id());
        assertThat(d.prune()).allSatisfy(b -> assertThat(b.time()).isBeforeOrEqualTo(s.now()));
    }

    @Property
    void kept_and_pruned_partition_the_input_and_are_both_newest_first(@ForAll("scenarios") Scenario s) {
        Decision d = s.decide();

        List<BackupRef> kept = d.kept().stream().map(Decision.Kept::backup).toList();
        assertThat(Stream.concat(kept.stream(), d.prune().stream())).containsExactlyInAnyOrderElementsOf(s.backups());
        assertThat(kept).isSortedAccordingTo(RetentionPolicy.NEWEST_FIRST);
        assertThat(d.prune()).isSortedAccordingTo(RetentionPolicy.NEWEST_FIRST);
    }

    @Property
    void the_decision_does_not_depend_on_input_order(@ForAll("scenarios") Scenario s, @ForAll Random random) {
        List<BackupRef> shuffled = new ArrayList<>(s.backups());
        Collections.shuffle(shuffled, random);

        assertThat(RetentionPolicy.decide(shuffled, s.rules(), s.zone(), s.now())).isEqualTo(s.decide());
    }

    /**
     * Pruning is a fixed point, size cap included: each period rule's picks are the newest backups of
     * the most recent periods, and those survive pruning, so the same periods come first again; the cap
     * only ever cuts off the oldest end, which takes whole periods with it. So deciding again on what
     * was kept keeps all of it, for the same reasons.
     */
    @Property
    void deciding_again_on_the_kept_backups_prunes_nothing_and_gives_the_same_reasons(@ForAll("scenarios") Scenario s) {
        Decision first = s.decide();
        List<BackupRef> kept = first.kept().stream().map(Decision.Kept::backup).toList();

        Decision again = RetentionPolicy.decide(kept, s.rules(), s.zone(), s.now());

        assertThat(again.prune()).isEmpty();
        assertThat(again.kept()).isEqualTo(first.kept());
    }

    /**
     * Raising a count never loses a backup, as long as the rule set raised already had a keep rule:
     * going from no rules at all (keep everything) to one rule does prune, by design.
     */
    @Property
    void raising_a_count_never_prunes_a_backup_that_was_kept(@ForAll("uncappedScenarios") Scenario s,
                                                              @ForAll @IntRange(min = 0, max = 5) int field,
                                                              @ForAll @IntRange(min = 1, max = 20) int raise,
                                                              @ForAll @IntRange(min = 0, max = 3) int target) {
        String label = target == 0 ? null : LABELS_WITH_RULES.get(target - 1);
        Retention before = label == null ? s.rules() : s.rules().labels().get(label);
        Assume.that(before != null && GroupDecider.hasKeepRule(before));
        Retention raised = withCount(before, field, counts(before).get(field) + raise);
        Retention rules = label == null ? withLabels(raised, s.rules().labels()) : withLabel(s.rules(), label, raised);

        Set<String> keptBefore = ids(s.decide().kept());
        Set<String> keptAfter = ids(RetentionPolicy.decide(s.backups(), rules, s.zone(), s.now()).kept());

        assertThat(keptAfter).containsAll(keptBefore);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return scenarios(ruleSets(true));
    }

    @Provide
    Arbitrary<Scenario> uncappedScenarios() {
        return scenarios(ruleSets(false));
    }

    private static Arbitrary<Scenario> scenarios(Arbitrary<Retention> rules) {
        Arbitrary<Instant> nows = Arbitraries.of("2019-03-01T12:00:00Z", "2025-01-01T00:00:00Z", "2026-03-29T01:30:00Z")
                .map(Instant::parse);
        // Sao Paulo fell back from midnight to 23:00 of the day before in 2017 and 2018; Lord Howe
        // shifts by half an hour; Kolkata and Chatham are off the whole hour.
        Arbitrary<ZoneId> zones = Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "America/Sao_Paulo",
                "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham").map(ZoneId::of);
        Arbitrary<Long> ageSeconds = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 3 * 366 * 86_400L)),
                Tuple.of(3, Arbitraries.longs().between(0, 10 * 86_400L)),
                Tuple.of(2, Arbitraries.longs().between(0, 2_000).map(h -> h * 3_600)),
                Tuple.of(1, Arbitraries.longs().between(-2 * 86_400L, -1)));
        Arbitrary<Long> sizes = Arbitraries.longs().between(0, 1_000_000);
        Arbitrary<String> labels = Arbitraries.of("scheduled", "manual", "pre-update", "pre-restore", "").injectNull(0.15);
        Arbitrary<List<Tuple.Tuple3<Long, Long, String>>> history =
                Combinators.combine(ageSeconds, sizes, labels).as(Tuple::of).list().ofMaxSize(200)
                        .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(history, rules, zones, nows)
                .as((h, r, zone, now) -> new Scenario(backups(h, now), r, zone, now));
    }

    private static List<BackupRef> backups(List<Tuple.Tuple3<Long, Long, String>> history, Instant now) {
        List<BackupRef> out = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Tuple.Tuple3<Long, Long, String> h = history.get(i);
            Instant time = now.minusSeconds(h.get1());
            out.add(new BackupRef(ID.format(time) + "-" + i, time, h.get2(), h.get3()));
        }
        return out;
    }

    private static Arbitrary<Retention> ruleSets(boolean withCap) {
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 12)),
                Tuple.of(1, Arbitraries.integers().between(13, 60)));
        Arbitrary<Duration> within = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 40 * 24).map(Duration::ofHours),
                Arbitraries.longs().between(0, 4 * 86_400L).map(Duration::ofSeconds)).injectNull(0.6);
        Arbitrary<Long> cap = withCap ? Arbitraries.longs().between(0, 50_000_000).injectNull(0.6) : Arbitraries.just(null);
        Arbitrary<Retention> flat = Combinators.combine(count.list().ofSize(6), within, cap)
                .as((c, w, m) -> new Retention(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5), w, m, Map.of()));
        Arbitrary<Map<String, Retention>> labelRules = Arbitraries.maps(Arbitraries.of(LABELS_WITH_RULES), flat).ofMaxSize(3);
        return Combinators.combine(flat, labelRules).as(RetentionPropertiesTest::withLabels);
    }

    private static List<Integer> counts(Retention r) {
        return List.of(r.keepLast(), r.hourly(), r.daily(), r.weekly(), r.monthly(), r.yearly());
    }

    private static Retention withCount(Retention r, int field, int value) {
        List<Integer> c = new ArrayList<>(counts(r));
        c.set(field, value);
        return new Retention(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5), r.within(), r.maxTotalSizeBytes(),
                r.labels());
    }

    private static Retention withLabels(Retention r, Map<String, Retention> labels) {
        return new Retention(r.keepLast(), r.hourly(), r.daily(), r.weekly(), r.monthly(), r.yearly(), r.within(),
                r.maxTotalSizeBytes(), labels);
    }

    private static Retention withLabel(Retention r, String label, Retention own) {
        Map<String, Retention> labels = new HashMap<>(r.labels());
        labels.put(label, own);
        return withLabels(r, labels);
    }

    private static Retention withoutCaps(Retention r) {
        Map<String, Retention> labels = new HashMap<>();
        r.labels().forEach((label, own) -> labels.put(label, withoutCaps(own)));
        return new Retention(r.keepLast(), r.hourly(), r.daily(), r.weekly(), r.monthly(), r.yearly(), r.within(), null,
                labels);
    }

    private static Set<String> ids(List<Decision.Kept> kept) {
        return kept.stream().map(k -> k.backup().id()).collect(Collectors.toCollection(HashSet::new));
    }
}
