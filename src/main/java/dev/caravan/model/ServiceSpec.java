package dev.caravan.model;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code service { http port: 9091; catchUp true; shutdownTimeout '60s'; cluster { ... } }}.
 *
 * @param http            the HTTP endpoint of /metrics, /health and the status page (port 0: none)
 * @param catchUp         at start, run a plan once when a scheduled fire was missed while the service was down
 * @param shutdownTimeout how long SIGTERM waits for runs in flight before aborting them
 * @param cluster         the shared Quartz job store of a cluster of services, or null for a single service
 */
public record ServiceSpec(Http http, boolean catchUp, Duration shutdownTimeout, Cluster cluster) {
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    public static final ServiceSpec DEFAULT = new ServiceSpec(0);

    public ServiceSpec(int httpPort) {
        this(httpPort, true, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public ServiceSpec(int httpPort, boolean catchUp, Duration shutdownTimeout) {
        this(Http.on(httpPort), catchUp, shutdownTimeout, null);
    }

    /** Port of the HTTP endpoint; 0 means none. */
    public int httpPort() {
        return http.port();
    }

    /**
     * {@code http host: '0.0.0.0', port: 9091, user: 'prometheus', password: secret('/p'), tlsCert: '/c.pem', tlsKey: '/k.pem'}.
     *
     * @param host     the address to listen on; {@value #DEFAULT_HOST} unless widened
     * @param port     the port; 0 means no HTTP endpoint
     * @param user     basic auth user, or null for no auth
     * @param password basic auth password (set exactly when {@code user} is)
     * @param tls      HTTPS instead of HTTP, or null
     */
    public record Http(String host, int port, String user, Secret password, Tls tls) {
        public static final String DEFAULT_HOST = "127.0.0.1";

        public static Http on(int port) {
            return new Http(DEFAULT_HOST, port, null, null, null);
        }
    }

    /**
     * The server certificate: a PEM pair ({@code certificate} chain + PKCS#8 {@code key}) or a
     * PKCS#12/JKS {@code keystore} with its password.
     */
    public record Tls(Path certificate, Path key, Path keystore, Secret keystorePassword) {
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
