package dev.caravan.source;

import java.io.IOException;

/**
 * A source that can take base backups rolled forward by archived WAL ({@code postgres(...) {
 * continuous true }}). After {@link #dump} it says which WAL segment the base backup starts from,
 * so retention knows which archived WAL a kept backup still needs.
 */
public interface WalSource extends Source {

    /** Whether the source takes base backups for continuous archiving ({@code continuous true}). */
    boolean continuous();

    /**
     * The WAL segment the last base backup made by {@link #dump} starts from (its {@code backup_label}
     * {@code START WAL LOCATION}), e.g. {@code 000000010000000000000003}; null when it could not be told
     * or the source does not take base backups.
     */
    String walStart();

    /**
     * Runs one short query over the source's own connection and returns its unaligned, tuples-only
     * output (fields separated by {@code |}); for monitoring the archiver, never for data.
     */
    String query(String sql) throws IOException;
}
