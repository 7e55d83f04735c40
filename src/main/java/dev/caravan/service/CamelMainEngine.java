package dev.caravan.service;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The service's Camel context, made by Camel Main ({@link Main}), so that the standalone runtime's
 * conventions hold: the {@code camel.*} keys of {@code application.properties} ({@code caravan run
 * --properties FILE}, else {@code application.properties} beside the plan file) and the {@code CAMEL_*}
 * environment variables (e.g. {@code CAMEL_MAIN_SHUTDOWNTIMEOUT=30},
 * {@code CAMEL_THREADPOOL_MAXPOOLSIZE=8}) configure the engine: thread pools, shutdown, route
 * settings. Camel's route metrics (camel-micrometer) go to the same registry as Caravan's.
 * Caravan's own keys ({@code caravan.*}) are read by {@link ServiceProperties}.
 */
public final class CamelMainEngine implements AutoCloseable {
    private final Main main;
    private final Path properties;

    private CamelMainEngine(Main main, Path properties) {
        this.main = main;
        this.properties = properties;
    }

    /**
     * Starts Camel Main with {@code properties} (or none), route metrics into {@code registry} when
     * {@code camelRoutes}. A {@code camel.*} key Camel does not know fails here, naming the file.
     */
    public static CamelMainEngine start(Path properties, MeterRegistry registry, boolean camelRoutes) {
        Main main = new Main();
        // the service's own shutdown hook (RunCommand) waits for runs in flight; Camel Main's hang-up interceptor
        // (DefaultMainShutdownStrategy) would stop Camel under them
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        main.configure().setName("caravan");
        // nothing of Caravan's is found by scanning: its routes come from the plan file
        main.configure().setRoutesCollectorEnabled(false);
        // /health lists every check with its details (Caravan's destinations check among Camel's); Camel Main's
        // "default" level would show a single check while all are UP
        main.configure().health().setExposureLevel("full");
        main.setPropertyPlaceholderLocations(properties == null ? "classpath:application.properties;optional=true"
                : "file:" + properties.toAbsolutePath());
        try {
            main.start();
            if (camelRoutes) {
                // for the routes added from here on: every plan's and destination's (labelled by route id only,
                // never by endpoint URI, which may hold a host or a user)
                MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
                routeMetrics.setMeterRegistry(registry);
                routeMetrics.setSkipCamelInfo(true);  // app_info, without HELP text; caravan_plan_info says what runs
                main.getCamelContext().addRoutePolicyFactory(routeMetrics);
            }
        } catch (Exception e) {
            main.stop();
            if (main.getCamelContext() != null) {
                main.getCamelContext().stop();  // made before the failure; Main.stop leaves a context it did not start
            }
            throw new Invalid(sentence(properties, e), e);
        }
        return new CamelMainEngine(main, properties);
    }

    /** Camel Main refused its configuration: a {@code camel.*} key or value in the file or the environment. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * {@code FILE:LINE: camel.main.shutdownTimout: Camel has no such option}, or {@code environment: ...} for a
     * {@code CAMEL_*} variable; another failure as its root cause.
     */
    static String sentence(Path properties, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.PropertyBindingException b) {
                String prefix = b.getOptionPrefix() == null || b.getOptionPrefix().endsWith(".") ? b.getOptionPrefix() : b.getOptionPrefix() + ".";
                String key = java.util.Objects.requireNonNullElse(prefix != null && b.getOptionKey() != null
                        ? prefix + b.getOptionKey() : b.getPropertyName(), "camel");
                Integer line = properties == null ? null : ServiceProperties.lineOf(properties, k -> normal(k).equals(normal(key)));
                String where = line != null ? properties + ":" + line : properties != null && !inEnvironment(key)
                        ? properties.toString() : "environment (" + envName(key) + ")";
                String why = b.getCause() == null ? "Camel has no such option"
                        : "cannot be set to '" + b.getValue() + "'" + cause(b.getCause());
                return where + ": " + key + ": " + why;
            }
        }
        return (properties == null ? "camel" : properties.toString()) + ": " + dev.caravan.io.Failures.rootCause(e);
    }

    private static String cause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        // a conversion that failed inside Camel says little more than its exception's name
        return root instanceof NumberFormatException || root instanceof IllegalArgumentException && root.getMessage() != null
                ? " (" + root.getMessage() + ")" : "";
    }

    private static boolean inEnvironment(String key) {
        return System.getenv().keySet().stream().anyMatch(k -> normal(k).equals(normal(key)));
    }

    private static String envName(String key) {
        return key == null ? "CAMEL_*" : key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /**
     * Whether {@code camel.main.shutdownTimeout} is set by the properties file or the environment
     * ({@code CAMEL_MAIN_SHUTDOWNTIMEOUT}); then it wins over the plan's {@code service { shutdownTimeout }}.
     */
    public boolean setsShutdownTimeout() {
        return sets("camel.main.shutdownTimeout", System.getenv());
    }

    boolean sets(String key, Map<String, String> env) {
        String wanted = normal(key);
        if (env.keySet().stream().anyMatch(k -> normal(k).equals(wanted))) {
            return true;
        }
        if (properties == null) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(properties)) {
            p.load(r);
        } catch (IOException e) {
            return false;
        }
        return p.stringPropertyNames().stream().anyMatch(k -> normal(k).equals(wanted));
    }

    /** Camel's relaxed binding: case, dots, dashes and underscores do not matter. */
    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[._-]", "");
    }

    @Override
    public void close() {
        main.stop();
    }
}
