package dev.caravan.service;

import dev.caravan.model.ServiceSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code service { cluster { ... } }}: camel-quartz on Quartz's clustered JDBC job store in a shared
 * PostgreSQL. Every service of the cluster uses the same scheduler name, so they share the plans'
 * triggers: each fire is taken by exactly one of them (Quartz locks the trigger row), and when one
 * stops checking in, the others take over its schedules and recover what it was running.
 */
final class QuartzCluster {
    private static final Logger LOG = LoggerFactory.getLogger(QuartzCluster.class);
    static final String SCHEDULER = "caravan";
    private static final String TABLES = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    /** Taken while creating the tables, so that two services starting together do not both create them. */
    private static final long DDL_LOCK = 0x6361726176616eL;

    private QuartzCluster() {
    }

    /** Creates the Quartz tables when missing, then makes the context's {@code quartz} component use them. */
    static void install(CamelContext camel, ServiceSpec.Cluster cluster) {
        try {
            createTablesIfMissing(cluster);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cluster: cannot prepare the Quartz tables in " + cluster.jdbcUrl() + ": " + e.getMessage(), e);
        }
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(properties(cluster));
        quartz.setPrefixInstanceName(false);
        camel.addComponent("quartz", quartz);
        try {
            // the context is already running, so camel-quartz never hears that it started: start the scheduler here
            if (!quartz.getScheduler().isStarted()) {
                quartz.getScheduler().start();
            }
        } catch (org.quartz.SchedulerException e) {
            throw new IllegalStateException("cluster: the Quartz scheduler did not start: " + e.getMessage(), e);
        }
        LOG.info("cluster: schedules are shared through {} (check-in every {}s)", cluster.jdbcUrl(),
                cluster.checkinEvery().toMillis() / 1000.0);
    }

    static Map<String, Object> properties(ServiceSpec.Cluster cluster) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("org.quartz.scheduler.instanceName", SCHEDULER);
        p.put("org.quartz.scheduler.instanceId", "AUTO");
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.threadCount", "4");
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(cluster.checkinEvery().toMillis()));
        // a fire more than this late (its service died, or the previous run of the plan still ran) is a
        // misfire: an interval schedule moves on to its next fire, a cron schedule runs once now
        p.put("org.quartz.jobStore.misfireThreshold", "5000");
        p.put("org.quartz.jobStore.dataSource", "caravan");
        p.put("org.quartz.dataSource.caravan.driver", "org.postgresql.Driver");
        p.put("org.quartz.dataSource.caravan.URL", cluster.jdbcUrl());
        if (cluster.user() != null) {
            p.put("org.quartz.dataSource.caravan.user", cluster.user());
        }
        if (cluster.password() != null) {
            p.put("org.quartz.dataSource.caravan.password", cluster.password().reveal());
        }
        p.put("org.quartz.dataSource.caravan.maxConnections", "6");
        p.put("org.quartz.dataSource.caravan.validationQuery", "select 1");
        return p;
    }

    private static void createTablesIfMissing(ServiceSpec.Cluster cluster) throws SQLException, IOException {
        Properties login = new Properties();
        if (cluster.user() != null) {
            login.setProperty("user", cluster.user());
        }
        if (cluster.password() != null) {
            login.setProperty("password", cluster.password().reveal());
        }
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), login); Statement st = c.createStatement()) {
            st.execute("select pg_advisory_lock(" + DDL_LOCK + ")");
            try {
                if (exists(st)) {
                    return;
                }
                LOG.info("cluster: creating the Quartz tables in {}", cluster.jdbcUrl());
                c.setAutoCommit(false);
                for (String sql : statements()) {
                    st.execute(sql);
                }
                c.commit();
                c.setAutoCommit(true);
            } finally {
                st.execute("select pg_advisory_unlock(" + DDL_LOCK + ")");
            }
        }
    }

    private static boolean exists(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("select to_regclass('qrtz_locks') is not null")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The CREATE statements of Quartz's own script (its DROPs and COMMIT are left out: the tables are missing). */
    private static java.util.List<String> statements() throws IOException {
        String script;
        try (InputStream in = QuartzComponent.class.getClassLoader().getResourceAsStream(TABLES)) {
            if (in == null) {
                throw new IOException(TABLES + " is not on the class path (quartz jar)");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(sql.toString().split(";")).map(String::trim)
                .filter(s -> !s.isEmpty() && !s.toUpperCase().startsWith("DROP") && !s.equalsIgnoreCase("COMMIT")).toList();
    }
}
