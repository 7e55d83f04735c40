package dev.caravan.model;

import java.time.Duration;

/**
 * {@code service { http port: 9091; catchUp true; shutdownTimeout '60s'; cluster { ... } }}.
 *
 * @param httpPort        port of /metrics, /health and the status page; 0 means no HTTP endpoint
 * @param catchUp         at start, run a plan once when a scheduled fire was missed while the service was down
 * @param shutdownTimeout how long SIGTERM waits for runs in flight before aborting them
 * @param cluster         the shared Quartz job store of a cluster of services, or null for a single service
 */
public record ServiceSpec(int httpPort, boolean catchUp, Duration shutdownTimeout, Cluster cluster) {
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    public static final ServiceSpec DEFAULT = new ServiceSpec(0);

    public ServiceSpec(int httpPort) {
        this(httpPort, true, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public ServiceSpec(int httpPort, boolean catchUp, Duration shutdownTimeout) {
        this(httpPort, catchUp, shutdownTimeout, null);
    }

    /**
     * {@code cluster { jdbcUrl 'jdbc:postgresql://db:5432/caravan'; user 'caravan'; password env('CARAVAN_DB_PW') }}.
     *
     * @param jdbcUrl      the PostgreSQL database every service of the cluster shares
     * @param user         database user, or null
     * @param password     database password, or null
     * @param checkinEvery how often each service tells the others it is alive; a service silent for
     *                     longer is taken as dead and its work is recovered
     */
    public record Cluster(String jdbcUrl, String user, Secret password, Duration checkinEvery) {
        public static final Duration DEFAULT_CHECKIN = Duration.ofSeconds(7).plusMillis(500);
    }
}
