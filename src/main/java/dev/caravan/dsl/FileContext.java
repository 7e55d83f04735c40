package dev.caravan.dsl;

import dev.caravan.model.Config;
import dev.caravan.model.Plan;
import dev.caravan.model.ServiceSpec;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The top level of a plan file: {@code backup('name') { }} blocks and one {@code service { }}. */
public final class FileContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("backup", "backup('name') { ... }");
        KEYS.put("service", "service { http port: 9091; catchUp true; shutdownTimeout '60s' }");
    }

    private final List<Plan> plans = new ArrayList<>();
    private final Map<String, Integer> planLines = new HashMap<>();
    private boolean declared;
    private ServiceSpec service = ServiceSpec.DEFAULT;

    FileContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void backup(Object name,
                       @DelegatesTo(value = BackupContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        declared = true;
        int line = loading.problems.currentLine();
        String n = loading.name("backup", name);
        Plan plan = run(body, new BackupContext(loading, n == null ? String.valueOf(name) : n, line)).build();
        if (n == null) {
            return;
        }
        Integer first = planLines.putIfAbsent(n, line);
        if (first != null) {
            problem("backup '" + n + "' is declared twice (first at line " + first + ")");
        } else {
            plans.add(plan);
        }
    }

    public void service(@DelegatesTo(value = ServiceContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("service")) {
            service = run(body, new ServiceContext(loading)).build();
        }
    }

    Config build(Path file) {
        if (!declared) {
            loading.problems.addAt(1, "the file declares no plan", List.of("add one: backup('name') { ... }"));
        }
        return new Config(file, plans, service);
    }
}
