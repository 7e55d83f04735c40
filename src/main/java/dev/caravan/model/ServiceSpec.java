package dev.caravan.model;

import java.time.Duration;

/**
 * {@code service { http port: 9091; catchUp true; shutdownTimeout '60s' }}.
 *
 * @param httpPort        port of /metrics, /health and the status page; 0 means no HTTP endpoint
 * @param catchUp         at start, run a plan once when a scheduled fire was missed while the service was down
 * @param shutdownTimeout how long SIGTERM waits for runs in flight before aborting them
 */
public record ServiceSpec(int httpPort, boolean catchUp, Duration shutdownTimeout) {
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    public static final ServiceSpec DEFAULT = new ServiceSpec(0);

    public ServiceSpec(int httpPort) {
        this(httpPort, true, DEFAULT_SHUTDOWN_TIMEOUT);
    }
}
