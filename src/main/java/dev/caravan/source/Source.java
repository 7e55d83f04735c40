package dev.caravan.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One thing to back up, made from a {@link dev.caravan.model.SourceSpec} by its {@link SourceKind}.
 * A source only moves bytes as streams: {@link #dump} writes the native format (tar, pg_dump
 * custom, RDB, ...) to the stream it is given, and {@link #restore} reads the same bytes back.
 * Compression, encryption and checksums wrap those streams elsewhere; a source never sees them.
 */
public interface Source {

    /** The name from the plan, e.g. {@code chroma}. */
    String name();

    /** Extension of the dump format, without a dot: {@code tar}, {@code pgdump}, {@code rdb}. */
    String extension();

    /** The tool that makes the dump and its version, recorded in the manifest, e.g. {@code caravan-tar 1}. */
    String toolVersion();

    /** Writes a consistent dump to {@code out}. Does not close {@code out}. */
    void dump(OutputStream out) throws IOException;

    /** Reads a dump produced by {@link #dump} and restores it as {@code request} says. */
    void restore(InputStream in, RestoreRequest request) throws IOException;

    /** Expected size of the dump in bytes, for progress and ETA; -1 when unknown. */
    default long estimatedSize() {
        return -1;
    }

    /**
     * Further objects this source adds to the same backup, each made and stored like a source of
     * its own (e.g. a PostgreSQL database's portable exports, {@code app-sqlite}). Their names must
     * be unique within the plan. Restoring one is up to the extra itself.
     */
    default java.util.List<Source> extras() {
        return java.util.List.of();
    }

    /**
     * Reads a dump through and fails if it is damaged (used by {@code verify --deep}). The
     * default reads every byte; kinds override it to parse their format.
     */
    default void readThrough(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }
}
