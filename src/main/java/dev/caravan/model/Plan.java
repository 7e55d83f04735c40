package dev.caravan.model;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One {@code backup('name') { }} block, validated. {@code incremental} is null for a plan whose
 * every run is a full; {@code drill} is {@link DrillSpec#NONE} without a {@code drill { }} block;
 * {@code dedup} stores each source as content-defined chunks, each stored once per destination
 * (docs/dedup.md).
 */
public record Plan(String name, int line, Schedule schedule, ZoneId timezone, List<SourceSpec> sources,
                   Compression compression, Encryption encryption, List<DestinationSpec> destinations,
                   Retention retention, VerifySpec verify, AlertSpec alerts, Incremental incremental,
                   DrillSpec drill, boolean dedup) {
    public Plan {
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
        alerts = alerts == null ? AlertSpec.NONE : alerts;
        drill = drill == null ? DrillSpec.NONE : drill;
    }

    /** A plan without {@code dedup}. */
    public Plan(String name, int line, Schedule schedule, ZoneId timezone, List<SourceSpec> sources,
                Compression compression, Encryption encryption, List<DestinationSpec> destinations,
                Retention retention, VerifySpec verify, AlertSpec alerts, Incremental incremental,
                DrillSpec drill) {
        this(name, line, schedule, timezone, sources, compression, encryption, destinations, retention, verify,
                alerts, incremental, drill, false);
    }

    /** A plan without {@code drill { }}. */
    public Plan(String name, int line, Schedule schedule, ZoneId timezone, List<SourceSpec> sources,
                Compression compression, Encryption encryption, List<DestinationSpec> destinations,
                Retention retention, VerifySpec verify, AlertSpec alerts, Incremental incremental) {
        this(name, line, schedule, timezone, sources, compression, encryption, destinations, retention, verify,
                alerts, incremental, DrillSpec.NONE);
    }

    /** A plan without {@code alerts { }} and without {@code incremental { }} (every run is a full). */
    public Plan(String name, int line, Schedule schedule, ZoneId timezone, List<SourceSpec> sources,
                Compression compression, Encryption encryption, List<DestinationSpec> destinations,
                Retention retention, VerifySpec verify) {
        this(name, line, schedule, timezone, sources, compression, encryption, destinations, retention, verify,
                AlertSpec.NONE, null, DrillSpec.NONE);
    }

    public Optional<SourceSpec> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<DestinationSpec> destination(String name) {
        return destinations.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
