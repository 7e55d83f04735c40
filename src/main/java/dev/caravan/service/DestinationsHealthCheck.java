package dev.caravan.service;

import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * A Camel health check: DOWN while any destination of any plan could not be listed at the service's
 * last look (after every run and once a minute). Its details are {@code <plan>/<destination>}:
 * {@code UP} or {@code DOWN: why}. {@code /health} reports it with Camel's own checks.
 */
final class DestinationsHealthCheck extends AbstractHealthCheck {
    private final Service service;

    DestinationsHealthCheck(Service service) {
        super("caravan", "destinations");
        this.service = service;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean up = true;
        for (Plan p : service.config().plans()) {
            Catalog c = service.catalog(p.name()).orElse(null);
            for (var d : p.destinations()) {
                String problem = c == null ? null : c.unreachable().get(d.name());
                builder.detail(p.name() + "/" + d.name(), problem == null ? "UP" : "DOWN: " + problem);
                up &= problem == null;
            }
        }
        if (up) {
            builder.up();
        } else {
            builder.down().message("a destination cannot be listed");
        }
    }
}
