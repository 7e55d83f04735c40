package dev.caravan.dsl;

import dev.caravan.model.AlertSpec;
import dev.caravan.model.Compression;
import dev.caravan.model.Encryption;
import dev.caravan.model.DrillSpec;
import dev.caravan.model.Incremental;
import dev.caravan.model.Plan;
import dev.caravan.model.Retention;
import dev.caravan.model.Schedule;
import dev.caravan.model.VerifySpec;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@code backup('name') { }} block. Without {@code schedule} a plan runs only with {@code now}. */
public final class BackupContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("schedule", "schedule '0 2 * * *' (or every('15m'), '@daily', a Quartz cron)");
        KEYS.put("timezone", "timezone 'UTC'");
        KEYS.put("sources", "sources { files('name') { path '/data' } }");
        KEYS.put("compress", "compress 'zstd', level: 3");
        KEYS.put("encrypt", "encrypt age: 'age1...'  or  encrypt passphrase: secret('/path')");
        KEYS.put("destinations", "destinations { local('name') { path '/mnt/backups' } }");
        KEYS.put("retention", "retention { keepLast 3; daily 7 }");
        KEYS.put("verify", "verify { afterUpload true }");
        KEYS.put("alerts", "alerts { on 'failure', 'stale'; webhook 'https://...' }");
        KEYS.put("incremental", "incremental { full '@weekly' }  or  incremental { fullEvery 7 }");
        KEYS.put("dedup", "dedup true (store each source as content-defined chunks, each once per destination)");
        KEYS.put("drill", "drill { schedule '@weekly'; check('app', \"select count(*) from t\") { atLeast 1 } }");
    }

    private final String name;
    private final int line;
    private Schedule schedule;
    private ZoneId timezone = ZoneId.systemDefault();
    private SourcesContext sources;
    private Compression compression = Compression.DEFAULT;
    private Encryption encryption = Encryption.NONE;
    private DestinationsContext destinations;
    private Retention retention = Retention.KEEP_ALL;
    private VerifySpec verify = VerifySpec.DEFAULT;
    private AlertSpec alerts = AlertSpec.NONE;
    private Incremental incremental;
    private DrillContext drill;
    private boolean dedup;
    private int dedupLine;
    private int incrementalLine;

    BackupContext(Loading loading, String name, int line) {
        super(loading);
        this.name = name;
        this.line = line;
    }

    @Override
    String where() {
        return "backup '" + name + "': ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void schedule(Object expression) {
        if (!once("schedule") || expression == null) {
            return;                                   // null: every(...) already reported its problem
        }
        if (expression instanceof Schedule s) {
            schedule = s;
            return;
        }
        String text = text(expression);
        try {
            schedule = Schedules.parse(text == null ? String.valueOf(expression) : text);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage(), List.of(Schedules.FORMS));
        }
    }

    /** {@code every('15m')}, used as {@code schedule every('15m')}. */
    public Schedule every(Object interval) {
        String text = text(interval);
        try {
            return Schedules.every(text == null ? String.valueOf(interval) : text);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return null;
        }
    }

    public void timezone(Object zone) {
        if (!once("timezone")) {
            return;
        }
        String z = text(zone);
        try {
            timezone = ZoneId.of(z == null ? String.valueOf(zone) : z);
        } catch (DateTimeException e) {
            problem("unknown timezone '" + zone + "'", Suggest.didYouMean(String.valueOf(zone), ZoneId.getAvailableZoneIds())
                    .map(s -> List.of("did you mean '" + s + "'?"))
                    .orElse(List.of("expected a region such as 'Europe/Berlin', 'UTC' or an offset such as '+02:00'")));
        }
    }

    public void sources(@DelegatesTo(value = SourcesContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("sources")) {
            sources = run(body, new SourcesContext(loading));
        }
    }

    public void destinations(
            @DelegatesTo(value = DestinationsContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("destinations")) {
            destinations = run(body, new DestinationsContext(loading));
        }
    }

    public void compress(Map<?, ?> named, Object algorithm) {
        if (once("compress")) {
            Compression c = CompressionArgs.parse(this, algorithm, named);
            compression = c == null ? compression : c;
        }
    }

    public void compress(Object algorithm) {
        compress(Map.of(), algorithm);
    }

    public void encrypt(Map<?, ?> named) {
        if (once("encrypt")) {
            Encryption e = EncryptionArgs.parse(this, named);
            encryption = e == null ? encryption : e;
        }
    }

    public void retention(@DelegatesTo(value = RetentionContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("retention")) {
            retention = run(body, new RetentionContext(loading, "retention: ", true)).build();
        }
    }

    public void verify(@DelegatesTo(value = VerifyContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("verify")) {
            verify = run(body, new VerifyContext(loading)).build();
        }
    }

    public void alerts(@DelegatesTo(value = AlertsContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("alerts")) {
            alerts = run(body, new AlertsContext(loading)).build();
        }
    }

    public void incremental(
            @DelegatesTo(value = IncrementalContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("incremental")) {
            incrementalLine = loading.problems.currentLine();
            incremental = run(body, new IncrementalContext(loading)).build();
        }
    }

    public void drill(@DelegatesTo(value = DrillContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("drill")) {
            drill = run(body, new DrillContext(loading));
        }
    }

    /** {@code dedup true}: chunks stored once per destination (docs/dedup.md). */
    public void dedup(boolean on) {
        if (once("dedup")) {
            dedup = on;
            dedupLine = loading.problems.currentLine();
        }
    }

    public void dedup() {
        dedup(true);
    }

    /** What {@code dedup true} does not combine with, reported at its line. */
    private void checkDedup() {
        if (!dedup) {
            return;
        }
        if (incremental != null) {
            loading.problems.addAt(dedupLine, where() + "dedup and incremental { } (line " + incrementalLine + ") do not combine",
                    List.of("dedup already stores only the chunks that changed; remove the incremental { } block"));
        }
        if (encryption.passphrase() != null) {
            loading.problems.addAt(dedupLine, where() + "dedup does not combine with encrypt passphrase:",
                    List.of("each chunk would cost one scrypt run to encrypt and to restore; use encrypt age: 'age1...' (age-keygen)"));
        }
    }

    Plan build() {
        checkDedup();
        if (sources == null || !sources.declaredAny()) {
            loading.problems.addAt(line, where() + "no sources", List.of("add: " + KEYS.get("sources")));
        }
        if (destinations == null || !destinations.declaredAny()) {
            loading.problems.addAt(line, where() + "no destinations", List.of("add: " + KEYS.get("destinations")));
        }
        List<dev.caravan.model.SourceSpec> specs = sources == null ? List.of() : sources.specs();
        return new Plan(name, line, schedule, timezone, specs, compression,
                encryption, destinations == null ? List.of() : destinations.specs(), retention, verify, alerts,
                incremental, drill == null ? DrillSpec.NONE : drill.build(specs), dedup);
    }
}
