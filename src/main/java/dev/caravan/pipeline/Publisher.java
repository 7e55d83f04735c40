package dev.caravan.pipeline;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes objects to destinations through their Camel route templates ({@code routes/destination-<kind>.yaml}).
 * One route per (plan, destination), consuming from a {@code seda:} queue; senders wait for the upload
 * at most the destination's {@link Delivery#timeout()}, so a hung destination fails alone. {@link Fanout},
 * the write path every stored object takes, sends to the same endpoints ({@link #endpoint}); {@link #save}
 * publishes one file to one route (tests, tools).
 */
public final class Publisher {
    private final CamelContext camel;
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();

    public Publisher(CamelContext camel) {
        this.camel = camel;
    }

    /** The route id (and {@code seda:} queue name) for a destination of a plan. */
    public static String routeId(String plan, String destination) {
        return "caravan-" + plan + "-to-" + destination;
    }

    /** Adds the destination's publishing route with the default retries and timeout. */
    public String register(String plan, Destination destination) {
        return register(plan, destination, Delivery.DEFAULT);
    }

    /** Adds the destination's publishing route (loading its template first) unless it is there already. */
    public synchronized String register(String plan, Destination destination, Delivery delivery) {
        String routeId = routeId(plan, destination.name());
        if (camel.getRoute(routeId) != null) {
            return routeId;
        }
        RouteTemplates.ensureLoaded(camel, destination.routeTemplate());
        destination.bind(camel);
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, destination.routeTemplate())
                .routeId(routeId)
                .parameter("routeId", routeId)
                .parameter("retries", delivery.retries())
                .parameter("retryDelay", Delivery.firstRetryDelayMillis());
        destination.templateParameters().forEach(builder::parameter);
        builder.add();
        deliveries.put(routeId, delivery);
        return routeId;
    }

    /** Retries and timeout of a registered route. */
    public Delivery delivery(String routeId) {
        return deliveries.getOrDefault(routeId, Delivery.DEFAULT);
    }

    /** The endpoint that publishes through {@code routeId} and gives up waiting after the destination's timeout. */
    public String endpoint(String routeId) {
        return "seda:" + routeId + "?waitForTaskToComplete=Always&timeout=" + delivery(routeId).timeout().toMillis();
    }

    /** Publishes one file under {@code key}; throws what the destination's route threw, or that it did not answer in time. */
    public void save(String routeId, String key, Path file) throws IOException {
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            Exchange result = producer.send(endpoint(routeId), ex -> {
                ex.getIn().setBody(file.toFile());
                ex.getIn().setHeader(Destination.KEY_HEADER, key);
                ex.getIn().setHeader(Destination.LENGTH_HEADER, Files.size(file));
            });
            if (result.getException() != null) {
                throw new IOException(failure(routeId, result.getException()), result.getException());
            }
        }
    }

    /** The message for a failed send: the route's own sentence, or that the destination did not answer in time. */
    String failure(String routeId, Throwable e) {
        if (e instanceof ExchangeTimedOutException) {
            return "no answer within the timeout of " + delivery(routeId).describeTimeout() + " (timeout option)";
        }
        return dev.caravan.io.Failures.rootCause(e);
    }
}
