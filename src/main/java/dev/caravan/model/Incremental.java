package dev.caravan.model;

/**
 * {@code incremental { full '@weekly'; fullEvery 7 }}: runs between fulls store only the files of
 * {@code files} sources that changed since the previous backup of the chain, plus what was deleted.
 * A run is a full when there is no chain yet, when {@code full} has fired since the chain's full
 * was taken, or when the chain already holds {@code fullEvery} backups. At least one of the two is set.
 *
 * @param full      when to start a new chain with a full, or null
 * @param fullEvery the most backups one chain holds (its full included), or 0 for no limit
 */
public record Incremental(Schedule full, int fullEvery) {
    public Incremental {
        if (full == null && fullEvery <= 0) {
            throw new IllegalArgumentException("incremental: needs 'full' or 'fullEvery'");
        }
    }
}
