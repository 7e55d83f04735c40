package dev.caravan.pipeline;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationException;
import dev.caravan.destination.DestinationKinds;
import dev.caravan.destination.Unavailable;
import dev.caravan.io.Failures;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Config;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKinds;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A started Camel context with the routes of a plan file: per plan the pipeline route (from the
 * {@code caravan-plan} template) and per destination its publishing route. The CLI makes one
 * per command; the service keeps one running.
 */
public final class Engine implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    private final Config config;
    private final EngineSettings settings;
    private final CamelContext camel;
    private final Publisher publisher;
    private final Fanout fanout;
    private final ProducerTemplate producer;
    private final Map<String, Map<String, Destination>> destinations = new ConcurrentHashMap<>();
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

    public Engine(Config config, EngineSettings settings) {
        this(config, settings, startCamel());
    }

    /** An engine on a Camel context made by {@link #startCamel()} (the CLI starts one while the plan file loads). */
    public Engine(Config config, EngineSettings settings, CamelContext camel) {
        this.config = config;
        this.settings = settings;
        this.camel = camel;
        this.publisher = new Publisher(camel);
        this.fanout = new Fanout(camel, publisher);
        this.producer = camel.createProducerTemplate();
    }

    /** A started Camel context with the pipeline's route template loaded; needs no plan, so it can start early. */
    public static CamelContext startCamel() {
        CamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("caravan");
        camel.start();
        RouteTemplates.ensureLoaded(camel, "caravan-backup-plan");
        return camel;
    }

    public Config config() {
        return config;
    }

    public EngineSettings settings() {
        return settings;
    }

    public CamelContext camel() {
        return camel;
    }

    public Publisher publisher() {
        return publisher;
    }

    /** The one write path to the destinations' routes (see {@link Fanout}). */
    public Fanout fanout() {
        return fanout;
    }

    /**
     * The plan's destinations as fan-out targets, in plan order: each with its publishing route, or with
     * the sentence saying why it has none (its client or its route cannot be made).
     */
    public List<Fanout.Target> targets(Plan plan) {
        List<Fanout.Target> targets = new java.util.ArrayList<>();
        destinations(plan).forEach((name, d) -> {
            try {
                targets.add(Fanout.Target.of(name, d, publishingRoute(plan, name)));
            } catch (DestinationException e) {
                targets.add(Fanout.Target.failed(name, d, e.getMessage()));
            }
        });
        return targets;
    }

    /**
     * The plan's destinations by name, in plan order (made once, then reused). One whose client cannot be
     * made is an {@link Unavailable} saying why, so it fails alone wherever it is used; it is made again
     * at a call 30 s later, so a destination that comes back (a service's) is used again without a restart.
     */
    public Map<String, Destination> destinations(Plan plan) {
        return destinations.compute(plan.name(), (k, had) -> {
            if (had != null && had.values().stream().noneMatch(d -> d instanceof Unavailable u && u.stale())) {
                return had;
            }
            Map<String, Destination> m = new LinkedHashMap<>();
            for (DestinationSpec d : plan.destinations()) {
                Destination old = had == null ? null : had.get(d.name());
                m.put(d.name(), old != null && !(old instanceof Unavailable u && u.stale()) ? old : create(d));
            }
            return m;
        });
    }

    private static Destination create(DestinationSpec d) {
        try {
            return DestinationKinds.find(d.kind()).orElseThrow().create(d);
        } catch (RuntimeException e) {
            return new Unavailable(d, Failures.sentence(d.kind() + " '" + d.name() + "'", e));
        }
    }

    /**
     * Registers (once) the publishing route of one of the plan's destinations, with its retries and timeout;
     * returns its id. A route that cannot be made (its client cannot be made, or its endpoint cannot reach its
     * server as it starts) is removed again and thrown as one sentence naming the destination, so that the next
     * run tries again.
     */
    public String publishingRoute(Plan plan, String destination) throws DestinationException {
        DestinationSpec spec = plan.destinations().stream().filter(d -> d.name().equals(destination)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("plan '" + plan.name() + "' has no destination '" + destination + "'"));
        Destination d = destinations(plan).get(destination);
        if (d instanceof Unavailable u) {
            throw new DestinationException(u.reason(), null);
        }
        try {
            return publisher.register(plan.name(), d, Delivery.of(spec));
        } catch (RuntimeException e) {
            try {
                removeRoute(Publisher.routeId(plan.name(), destination));
            } catch (Exception ignored) {
                // nothing was left to remove
            }
            throw new DestinationException(d.sentence(e), e);
        }
    }

    public Source source(SourceSpec spec) {
        return SourceKinds.find(spec.kind()).orElseThrow().create(spec);
    }

    /** The extra objects {@code spec}'s source adds to a backup; none when the source cannot be made (its dump step says why). */
    public List<Source> extras(SourceSpec spec) {
        try {
            return source(spec).extras();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The source, or extra of a source, that a manifest entry named {@code name} came from. */
    public Optional<Source> source(Plan plan, String name) {
        Optional<SourceSpec> spec = plan.source(name);
        if (spec.isPresent()) {
            return spec.map(this::source);
        }
        for (SourceSpec s : plan.sources()) {
            for (Source extra : extras(s)) {
                if (extra.name().equals(name)) {
                    return Optional.of(extra);
                }
            }
        }
        return Optional.empty();
    }

    /** Adds the plan's pipeline route, fired by {@code trigger} (a {@code direct:} or {@code quartz:} URI). */
    public String addPlanRoute(Plan plan, String trigger) {
        String routeId = "caravan-plan-" + plan.name() + (trigger.startsWith("direct:") ? "-now" : "-scheduled");
        if (camel.getRoute(routeId) != null) {
            return routeId;
        }
        BackupRunner runner = new BackupRunner(plan, this);
        String runnerBean = routeId + "-runner";
        camel.getRegistry().bind(runnerBean, runner);
        RouteTemplates.ensureLoaded(camel, "caravan-backup-plan");
        TemplatedRouteBuilder.builder(camel, "caravan-backup-plan")
                .routeId(routeId)
                .parameter("routeId", routeId)
                .parameter("trigger", trigger)
                .parameter("runner", runnerBean)
                .add();
        return routeId;
    }

    /** Adds a listener told after every run of every plan (scheduled or now). */
    public void addRunListener(RunListener listener) {
        listeners.add(listener);
    }

    void runFinished(Plan plan, BackupResult result) {
        for (RunListener l : listeners) {
            try {
                l.finished(plan, result);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Engine.class).warn("after plan '{}': {}", plan.name(), e.toString());
            }
        }
    }

    /**
     * Replaces the routes of a plan whose definition changed: waits until no run of it is in
     * flight (a run in flight finishes under the old definition), removes its pipeline routes and
     * its destinations' routes, then adds the pipeline route of {@code plan} fired by {@code trigger}
     * (null: only remove, for a plan that is gone).
     */
    public synchronized void replacePlanRoute(String name, Plan plan, String trigger) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        ids.add("caravan-plan-" + name + "-scheduled");
        ids.add("caravan-plan-" + name + "-now");
        for (String id : ids) {
            while (camel.getRoute(id) != null && camel.getInflightRepository().size(id) > 0) {
                Thread.sleep(200);
            }
            removeRoute(id);
        }
        Map<String, Destination> old = destinations.remove(name);
        if (old != null) {
            for (String d : old.keySet()) {
                removeRoute(Publisher.routeId(name, d));
            }
            old.values().forEach(Engine::closeQuietly);  // their routes are gone; the new definition makes new ones
        }
        if (plan != null && trigger != null) {
            addPlanRoute(plan, trigger);
        }
    }

    private void removeRoute(String id) throws Exception {
        if (camel.getRoute(id) != null) {
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
        }
    }

    /** Runs one plan now and waits for it. Throws {@link PlanLock.LockHeldException} when another run holds the plan. */
    public BackupResult backup(Plan plan, BackupRequest request) throws IOException {
        String endpoint = "direct:caravan-now-" + plan.name();
        addPlanRoute(plan, endpoint);
        try {
            return producer.requestBody(endpoint, request, BackupResult.class);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        camel.stop();
        destinations.values().forEach(m -> m.values().forEach(Engine::closeQuietly));
        destinations.clear();
    }

    private static void closeQuietly(Destination d) {
        try {
            d.close();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Engine.class).debug("closing destination {}: {}", d.name(), e.toString());
        }
    }
}
