package dev.caravan.dsl;

import dev.caravan.model.DrillSpec;
import dev.caravan.model.Schedule;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.SourceKind;
import dev.caravan.source.SourceKinds;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code drill { schedule '@weekly'; check('app', "select count(*) from characters") { atLeast 1 } }}:
 * when to rehearse a restore and what must be true of the restored sources.
 */
public final class DrillContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("schedule", "schedule '@weekly' (any schedule form: cron, @daily, every('7d'))");
        KEYS.put("check", "check('app', \"select count(*) from characters\") { atLeast 1 }  or  check('chroma', files: true) { equals 12 }");
        KEYS.put("rto", "rto '15m' (the recovery time objective: a drill whose restore takes longer misses it)");
    }

    private Schedule schedule;
    private java.time.Duration rto;
    private final List<DrillSpec.Check> checks = new ArrayList<>();

    DrillContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "drill: ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void schedule(Object expression) {
        if (!once("schedule") || expression == null) {
            return;
        }
        if (expression instanceof Schedule s) {
            schedule = s;
            return;
        }
        String text = text(expression);
        try {
            schedule = Schedules.parse(text == null ? String.valueOf(expression) : text);
        } catch (IllegalArgumentException e) {
            problem("schedule: " + e.getMessage(), List.of(Schedules.FORMS));
        }
    }

    /** {@code rto '15m'}: the declared recovery time objective, compared with each drill's restore time. */
    public void rto(Object duration) {
        if (!once("rto")) {
            return;
        }
        String text = text(duration);
        try {
            rto = dev.caravan.model.Durations.parse(text == null ? String.valueOf(duration) : text);
        } catch (IllegalArgumentException e) {
            problem("rto: " + e.getMessage(), List.of("usage: " + KEYS.get("rto")));
        }
    }

    /** {@code every('7d')}, used as {@code schedule every('7d')}. */
    public Schedule every(Object interval) {
        String text = text(interval);
        try {
            return Schedules.every(text == null ? String.valueOf(interval) : text);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return null;
        }
    }

    /** {@code check('app', "select ...") { atLeast 1 }}. */
    public void check(Object source, Object query,
                      @DelegatesTo(value = CheckContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        add(source, query, false, body);
    }

    /** {@code check('chroma', files: true) { atLeast 100 }}: counts the regular files restored. */
    public void check(Map<?, ?> named, Object source,
                      @DelegatesTo(value = CheckContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!named.keySet().equals(Set.of("files")) || !Boolean.TRUE.equals(named.get("files"))) {
            problem("check '" + source + "': the only named argument is files: true, not " + named.keySet(),
                    List.of("usage: " + KEYS.get("check")));
            return;
        }
        add(source, null, true, body);
    }

    private void add(Object source, Object query, boolean files, Closure<?> body) {
        int line = loading.problems.currentLine();
        String s = text(source);
        String q = files ? null : text(query);
        if (s == null || (!files && (q == null || q.isBlank()))) {
            problem("check needs a source name and a query in quotes", List.of("usage: " + KEYS.get("check")));
            return;
        }
        CheckContext expect = new CheckContext(loading, s);
        run(expect.routeEquals(body), expect);
        if (expect.valid()) {
            checks.add(new DrillSpec.Check(s, q, files, expect.atLeast, expect.equalsValue, line));
        }
    }

    /** The model; checks naming a missing source, or a query the source's kind cannot answer, are problems. */
    DrillSpec build(List<SourceSpec> sources) {
        for (DrillSpec.Check c : checks) {
            SourceSpec spec = sources.stream().filter(s -> s.name().equals(c.source())).findFirst().orElse(null);
            if (spec == null) {
                List<String> names = sources.stream().map(SourceSpec::name).toList();
                loading.problems.addAt(c.line(), where() + "check '" + c.source() + "': the plan has no such source",
                        Suggest.hints(c.source(), names));
                continue;
            }
            Optional<SourceKind> kind = SourceKinds.find(spec.kind());
            boolean countsFiles = kind.map(SourceKind::drillCountsFiles).orElse(false);
            Optional<String> query = kind.flatMap(SourceKind::drillQuery);
            if (c.files() && !countsFiles) {
                loading.problems.addAt(c.line(), where() + "check '" + c.source() + "': files: true counts the files of a "
                        + String.join(" or ", kindsWhere(SourceKind::drillCountsFiles)) + " source, not of a " + spec.kind() + " source",
                        query.map(q -> List.of("a " + spec.kind() + " check takes " + q)).orElse(List.of()));
            } else if (!c.files() && query.isEmpty()) {
                loading.problems.addAt(c.line(), where() + "check '" + c.source() + "': a " + spec.kind() + " source takes no query",
                        countsFiles ? List.of("count its files: check('" + c.source() + "', files: true) { atLeast 1 }")
                                : List.of("queries work on: " + String.join(", ", kindsWhere(k -> k.drillQuery().isPresent()))));
            }
        }
        return new DrillSpec(schedule, checks, rto);
    }

    private static List<String> kindsWhere(Predicate<SourceKind> test) {
        return SourceKinds.all().stream().filter(test).map(SourceKind::kind).toList();
    }
}
