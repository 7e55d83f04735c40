package dev.caravan.service;

import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;

import java.util.List;
import java.util.Objects;

/** Whether an edit changed a plan: everything but the line numbers counts. */
final class PlanDiff {
    private PlanDiff() {
    }

    static boolean same(Plan a, Plan b) {
        return a.name().equals(b.name()) && Objects.equals(a.schedule(), b.schedule()) && a.timezone().equals(b.timezone())
                && a.compression().equals(b.compression()) && a.encryption().equals(b.encryption())
                && a.retention().equals(b.retention()) && a.verify().equals(b.verify()) && a.alerts().equals(b.alerts())
                && sources(a.sources()).equals(sources(b.sources()))
                && destinations(a.destinations()).equals(destinations(b.destinations()));
    }

    private static List<List<Object>> sources(List<SourceSpec> specs) {
        return specs.stream().map(s -> List.<Object>of(s.kind(), s.name(), s.options().asMap())).toList();
    }

    private static List<List<Object>> destinations(List<DestinationSpec> specs) {
        return specs.stream().map(d -> List.<Object>of(d.kind(), d.name(), d.options().asMap())).toList();
    }
}
