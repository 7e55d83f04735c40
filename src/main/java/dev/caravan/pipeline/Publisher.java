package dev.caravan.pipeline;

import dev.caravan.destination.Destination;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Publishes objects to destinations through their Camel route templates ({@code routes/destination-<kind>.yaml}).
 * One route per (plan, destination); the pipeline's multicast sends to the same {@code direct:} endpoints.
 */
public final class Publisher {
    private final CamelContext camel;

    public Publisher(CamelContext camel) {
        this.camel = camel;
    }

    /** The {@code direct:} route id for a destination of a plan. */
    public static String routeId(String plan, String destination) {
        return "caravan-" + plan + "-to-" + destination;
    }

    /** Adds the destination's publishing route (loading its template first) unless it is there already. */
    public synchronized String register(String plan, Destination destination) {
        String routeId = routeId(plan, destination.name());
        if (camel.getRoute(routeId) != null) {
            return routeId;
        }
        RouteTemplates.ensureLoaded(camel, destination.routeTemplate());
        destination.bind(camel);
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, destination.routeTemplate())
                .routeId(routeId)
                .parameter("routeId", routeId);
        destination.templateParameters().forEach(builder::parameter);
        builder.add();
        return routeId;
    }

    /** Publishes one file under {@code key}; throws what the destination's route threw. */
    public void save(String routeId, String key, Path file) throws IOException {
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            Exchange result = producer.send("direct:" + routeId, ex -> {
                ex.getIn().setBody(file.toFile());
                ex.getIn().setHeader(Destination.KEY_HEADER, key);
                ex.getIn().setHeader(Destination.LENGTH_HEADER, Files.size(file));
            });
            if (result.getException() != null) {
                throw new IOException(result.getException().getMessage(), result.getException());
            }
        }
    }
}
