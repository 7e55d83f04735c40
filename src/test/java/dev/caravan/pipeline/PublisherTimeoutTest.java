package dev.caravan.pipeline;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.local.LocalDestination;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-destination timeout: a destination that never answers fails after its timeout; another one is not held up. */
class PublisherTimeoutTest {
    @TempDir
    Path tmp;

    /** Publishes through src/test/resources/routes/destination-hung.yaml, which holds every object for a minute. */
    private static final class Hung implements Destination {
        @Override public String name() { return "hung"; }
        @Override public String describe() { return "hung"; }
        @Override public String routeTemplate() { return "caravan-destination-hung"; }
        @Override public Map<String, Object> templateParameters() { return Map.of(); }
        @Override public InputStream open(String key) { throw new UnsupportedOperationException(); }
        @Override public List<StoredObject> list(String prefix) { return List.of(); }
        @Override public void delete(String key) { }
    }

    @Test
    void a_destination_that_never_answers_fails_after_its_timeout_and_the_others_still_publish() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(1);
        camel.start();
        try {
            Publisher publisher = new Publisher(camel);
            String hung = publisher.register("p", new Hung(), new Delivery(0, Duration.ofSeconds(2)));
            LocalDestination local = new LocalDestination("nas", tmp.resolve("nas"));
            String nas = publisher.register("p", local, new Delivery(0, Duration.ofSeconds(30)));
            Path f = Files.writeString(tmp.resolve("obj"), "payload");

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> publisher.save(hung, "p/1/obj", f))
                    .hasMessage("no answer within the timeout of 2s (timeout option)");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(20));

            publisher.save(nas, "p/1/obj", f);
            assertThat(local.list("p/")).containsExactly(new Destination.StoredObject("p/1/obj", 7));
        } finally {
            camel.stop();
        }
    }
}
