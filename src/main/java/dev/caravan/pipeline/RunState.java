package dev.caravan.pipeline;

import dev.caravan.destination.Destination;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Plan;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The state of one run of a plan, carried on the exchange as property {@value #PROPERTY}. */
public final class RunState {
    public static final String PROPERTY = "CaravanRun";
    public static final String JOB_PROPERTY = "CaravanJob";

    final Plan plan;
    final BackupRequest request;
    final String id;
    final Instant started;
    final Path workDir;
    final PlanLock lock;
    final Map<String, Destination> destinations;
    final Map<String, String> routeIds;
    final List<SourceJob> jobs = new ArrayList<>();
    final Map<String, String> destinationProblems = new LinkedHashMap<>();
    final List<String> retention = new ArrayList<>();
    /** The recipient list: one publishing endpoint per destination, in plan order (set by {@code begin}). */
    List<String> endpoints = List.of();
    /** Full or incremental, and on top of which backup; set by {@code begin}. */
    ChainState.Decision chain;
    /** Whether a good run of this kind moves the plan's chain on (not for {@code --only} runs). */
    boolean movesChain;

    RunState(Plan plan, BackupRequest request, String id, Instant started, Path workDir, PlanLock lock,
             Map<String, Destination> destinations, Map<String, String> routeIds) {
        this.plan = plan;
        this.request = request;
        this.id = id;
        this.started = started;
        this.workDir = workDir;
        this.lock = lock;
        this.destinations = destinations;
        this.routeIds = routeIds;
    }

    /** The sources of this run (the route splits over them). */
    public List<SourceJob> getJobs() {
        return jobs;
    }

    /** The {@code direct:} endpoints of the destinations (the route's recipient list). */
    public List<String> getEndpoints() {
        return endpoints;
    }

    public String id() {
        return id;
    }

    /** Destination name for a recipient endpoint URI such as {@code seda://caravan-p-to-nas?timeout=...}. */
    String destinationOf(String endpointUri) {
        String route = endpointUri.replaceFirst("^(direct|seda):(//)?", "");
        int q = route.indexOf('?');
        String routeId = q < 0 ? route : route.substring(0, q);
        return routeIds.entrySet().stream().filter(e -> e.getValue().equals(routeId)).map(Map.Entry::getKey)
                .findFirst().orElse(routeId);
    }
}
