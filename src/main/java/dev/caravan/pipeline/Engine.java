package dev.caravan.pipeline;

import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationKinds;
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
    private final ProducerTemplate producer;
    private final Map<String, Map<String, Destination>> destinations = new ConcurrentHashMap<>();

    public Engine(Config config, EngineSettings settings) {
        this.config = config;
        this.settings = settings;
        this.camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("caravan");
        camel.start();
        this.publisher = new Publisher(camel);
        this.producer = camel.createProducerTemplate();
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

    /** The plan's destinations by name, in plan order (made once, then reused). */
    public Map<String, Destination> destinations(Plan plan) {
        return destinations.computeIfAbsent(plan.name(), k -> {
            Map<String, Destination> m = new LinkedHashMap<>();
            for (DestinationSpec d : plan.destinations()) {
                m.put(d.name(), DestinationKinds.find(d.kind()).orElseThrow().create(d));
            }
            return m;
        });
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
        camel.getRegistry().bind(runnerBean + "-results", new DestinationResults(runner));
        RouteTemplates.ensureLoaded(camel, "caravan-backup-plan");
        TemplatedRouteBuilder.builder(camel, "caravan-backup-plan")
                .routeId(routeId)
                .parameter("routeId", routeId)
                .parameter("trigger", trigger)
                .parameter("runner", runnerBean)
                .parameter("results", runnerBean + "-results")
                .add();
        return routeId;
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
    }
}
