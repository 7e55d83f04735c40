package dev.caravan.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A source that can store only what changed since the previous backup of a chain (the
 * {@code files} source). Besides its dump, each backup writes an index of the whole tree at that
 * moment plus what was deleted since the previous one; the next run compares against that index.
 */
public interface IncrementalSource extends Source {

    /** Extension of the index object, without a dot, e.g. {@code index.jsonl}. */
    String indexExtension();

    /**
     * Writes the dump to {@code out} and the index to {@code indexOut}. With {@code previousIndex}
     * (the index of the chain's previous backup), only what changed goes into the dump and the index
     * also lists what was deleted; with null, everything (a full). Does not close {@code out}.
     */
    void dump(OutputStream out, Path previousIndex, Path indexOut) throws IOException;

    /**
     * Applies one incremental link of a chain on top of a tree already restored from its parent:
     * first removes what {@code index} lists as deleted, then unpacks {@code dump}.
     */
    void restoreIncrement(InputStream dump, InputStream index, RestoreRequest request) throws IOException;

    /** Parses an index written by {@link #dump(OutputStream, Path, Path)} and fails if it is damaged (verify --deep). */
    void readIndexThrough(InputStream index) throws IOException;
}
