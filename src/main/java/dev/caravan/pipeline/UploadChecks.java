package dev.caravan.pipeline;

import dev.caravan.destination.Destination;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Verify after upload of one object: every destination's {@link Destination#verifyUpload} at once,
 * one thread each (at most {@value #MAX_THREADS}), so reading back a slow copy does not wait for
 * another's.
 */
final class UploadChecks {
    static final int MAX_THREADS = 4;

    private UploadChecks() {
    }

    /** The problems found, by destination name (in the order given); destinations whose copy is good are absent. */
    static Map<String, String> run(Map<String, Destination> destinations, String key, Path local, long bytes, String sha256) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (destinations.isEmpty()) {
            return problems;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(destinations.size(), MAX_THREADS), r -> {
            Thread t = new Thread(r, "caravan-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Map.Entry<String, Future<Optional<String>>>> checks = new ArrayList<>();
            destinations.forEach((name, d) -> checks.add(Map.entry(name, pool.submit(() -> d.verifyUpload(key, local, bytes, sha256)))));
            for (Map.Entry<String, Future<Optional<String>>> c : checks) {
                try {
                    c.getValue().get().ifPresent(p -> problems.put(c.getKey(), p));
                } catch (ExecutionException e) {
                    problems.put(c.getKey(), c.getKey() + ": cannot check " + key + ": " + dev.caravan.io.Failures.rootCause(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.put(c.getKey(), c.getKey() + ": check of " + key + " interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return problems;
    }
}
