package dev.caravan.source;

/**
 * A source that can take base backups rolled forward by archived WAL ({@code postgres(...) {
 * continuous true }}). After {@link #dump} it says which WAL segment the base backup starts from,
 * so retention knows which archived WAL a kept backup still needs.
 */
public interface WalSource extends Source {

    /**
     * The WAL segment the last base backup made by {@link #dump} starts from (its {@code backup_label}
     * {@code START WAL LOCATION}), e.g. {@code 000000010000000000000003}; null when it could not be told
     * or the source does not take base backups.
     */
    String walStart();
}
