package dev.caravan.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.backup.RunReport;
import dev.caravan.io.Redact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code $CARAVAN_STATE_DIR/audit.log}: one JSON object per line for every backup, restore, prune,
 * delete and replication that changed something. Lines are only ever appended (the file is opened
 * with {@code O_APPEND}, each line goes out in one write and is forced to disk); nothing here
 * rewrites or truncates it. A line that cannot be written is logged and the operation goes on.
 */
public final class AuditLog {
    public static final String FILE = "audit.log";
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object WRITING = new Object();

    private final Path file;

    private AuditLog(Path file) {
        this.file = file;
    }

    /** The audit log of a state dir. */
    public static AuditLog in(Path stateDir) {
        return new AuditLog(stateDir.resolve(FILE));
    }

    public Path file() {
        return file;
    }

    /** A run of a plan ended: its outcome ({@code ok}, {@code partial}, {@code failed}) and where it failed. */
    public void backup(RunReport r) {
        Map<String, Object> e = event("backup", r.plan());
        e.put("id", r.id());
        e.put("label", r.label());
        e.put("outcome", r.outcome());
        e.put("bytes", r.sources().stream().mapToLong(RunReport.Source::bytes).sum());
        Map<String, String> problems = new LinkedHashMap<>();
        r.destinations().forEach((d, status) -> {
            if (!RunReport.OK.equals(status)) {
                problems.put(d, status);
            }
        });
        r.sources().stream().filter(s -> s.error() != null).forEach(s -> problems.put("source " + s.name(), s.error()));
        if (!problems.isEmpty()) {
            e.put("problems", problems);
        }
        append(e);
    }

    /** Sources of backup {@code id} were restored from destination {@code from} to {@code target} (null: where they came from). */
    public void restore(String plan, String id, List<String> sources, String target, String from, String outcome) {
        Map<String, Object> e = event("restore", plan);
        e.put("id", id);
        e.put("sources", sources);
        e.put("target", target == null ? "origin" : target);
        e.put("from", from);
        e.put("outcome", outcome);
        append(e);
    }

    /** Retention removed backups (one line per action, {@code destination: removed ID (why)}). */
    public void prune(String plan, List<String> removed, Map<String, String> problems) {
        Map<String, Object> e = event("prune", plan);
        e.put("removed", removed);
        if (!problems.isEmpty()) {
            e.put("problems", problems);
        }
        append(e);
    }

    /** {@code caravan delete} removed backup {@code id} from one destination. */
    public void delete(String plan, String id, String destination, int objects, String problem) {
        Map<String, Object> e = event("delete", plan);
        e.put("id", id);
        e.put("destination", destination);
        e.put("objects", objects);
        e.put("outcome", problem == null ? "ok" : "failed");
        if (problem != null) {
            e.put("problem", problem);
        }
        append(e);
    }

    /** One copy made by {@code caravan replicate}: backup {@code id} from {@code from} to {@code destination}. */
    public void replicate(String plan, String id, String from, String destination, int objects, long bytes, String problem) {
        Map<String, Object> e = event("replicate", plan);
        e.put("id", id);
        e.put("from", from);
        e.put("destination", destination);
        e.put("objects", objects);
        e.put("bytes", bytes);
        e.put("outcome", problem == null ? "ok" : "failed");
        if (problem != null) {
            e.put("problem", problem);
        }
        append(e);
    }

    private static Map<String, Object> event(String event, String plan) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.now().toString());
        e.put("event", event);
        e.put("plan", plan);
        e.put("user", System.getProperty("user.name"));
        e.put("pid", ProcessHandle.current().pid());
        return e;
    }

    /** Appends one line in one write, then forces it to disk. */
    void append(Map<String, Object> event) {
        try {
            byte[] line = (Redact.text(JSON.writeValueAsString(event)) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(file.getParent());
            synchronized (WRITING) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    ByteBuffer buf = ByteBuffer.wrap(line);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(false);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit log {}: cannot append a '{}' event: {}", file, event.get("event"), e.getMessage());
        }
    }
}
