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
    /** Where this run stores its objects: one per destination, in plan order, usable or with the reason it is not. */
    final List<Fanout.Target> targets;
    final List<SourceJob> jobs = new ArrayList<>();
    final Map<String, String> destinationProblems = new LinkedHashMap<>();
    final List<String> retention = new ArrayList<>();
    /** Full or incremental, and on top of which backup; set by {@code begin}. */
    ChainState.Decision chain;
    /** Whether a good run of this kind moves the plan's chain on (not for {@code --only} runs). */
    boolean movesChain;
    /** The chunk store of a {@code dedup true} plan's run, made when its first source is chunked; else null. */
    ChunkStore chunks;

    RunState(Plan plan, BackupRequest request, String id, Instant started, Path workDir, PlanLock lock,
             Map<String, Destination> destinations, List<Fanout.Target> targets) {
        this.plan = plan;
        this.request = request;
        this.id = id;
        this.started = started;
        this.workDir = workDir;
        this.lock = lock;
        this.destinations = destinations;
        this.targets = List.copyOf(targets);
    }

    /** The sources of this run (the route splits over them). */
    public List<SourceJob> getJobs() {
        return jobs;
    }

    public String id() {
        return id;
    }

    /** The targets that hold every object of this run so far (a manifest or index goes only there). */
    List<Fanout.Target> targetsHolding(java.util.function.Predicate<String> holds) {
        return targets.stream().filter(t -> holds.test(t.name())).toList();
    }
}
