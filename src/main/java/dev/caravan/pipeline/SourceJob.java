package dev.caravan.pipeline;

import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One source of one run as it moves through the route: its pipe, its spooled object, and per-destination outcomes. */
public final class SourceJob {
    private final SourceSpec spec;
    private Source source;
    private StreamPipe pipe;
    private String objectName;
    private StreamPipe.Spooled spooled;
    private volatile String error;
    private java.nio.file.Path indexFile;
    private String indexObject;
    private StreamPipe.Spooled indexSpooled;
    private final Map<String, String> failedAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> storedAt = new ConcurrentHashMap<>();

    private final Source extra;
    private ChunkStore.Chunked chunked;

    /** The object as chunks (a {@code dedup true} plan), or null. */
    ChunkStore.Chunked chunked() {
        return chunked;
    }

    void chunked(ChunkStore.Chunked c) {
        this.chunked = c;
    }

    public SourceJob(SourceSpec spec) {
        this.spec = spec;
        this.extra = null;
    }

    /** A job for one of {@code spec}'s {@link Source#extras()}: it carries its own source and name. */
    public SourceJob(SourceSpec spec, Source extra) {
        this.spec = spec;
        this.extra = extra;
        this.source = extra;
    }

    public SourceSpec spec() {
        return spec;
    }

    public String name() {
        return extra != null ? extra.name() : spec.name();
    }

    public Source source() {
        return source;
    }

    void source(Source s) {
        this.source = s;
    }

    public StreamPipe pipe() {
        return pipe;
    }

    void pipe(StreamPipe p) {
        this.pipe = p;
    }

    public String objectName() {
        return objectName;
    }

    void objectName(String n) {
        this.objectName = n;
    }

    public StreamPipe.Spooled spooled() {
        return spooled;
    }

    void spooled(StreamPipe.Spooled s) {
        this.spooled = s;
    }

    /** The plain index this run wrote for an incremental source, or null. */
    public java.nio.file.Path indexFile() {
        return indexFile;
    }

    void indexFile(java.nio.file.Path f) {
        this.indexFile = f;
    }

    /** Name of the stored index object, e.g. {@code tree.index.jsonl.zst.age}, or null. */
    public String indexObject() {
        return indexObject;
    }

    void indexObject(String n) {
        this.indexObject = n;
    }

    public StreamPipe.Spooled indexSpooled() {
        return indexSpooled;
    }

    void indexSpooled(StreamPipe.Spooled s) {
        this.indexSpooled = s;
    }

    /** True while nothing has failed for the source itself (destinations are tracked apart). */
    public boolean isOk() {
        return error == null;
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    void fail(String message) {
        if (error == null) {
            error = message;
        }
    }

    void stored(String destination) {
        storedAt.put(destination, Boolean.TRUE);
    }

    void failedAt(String destination, String message) {
        storedAt.remove(destination);
        failedAt.putIfAbsent(destination, message);
    }

    public boolean isStoredAt(String destination) {
        return storedAt.containsKey(destination) && !failedAt.containsKey(destination);
    }

    public Map<String, String> failures() {
        return Map.copyOf(failedAt);
    }
}
