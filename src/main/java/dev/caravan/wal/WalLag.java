package dev.caravan.wal;

import dev.caravan.backup.WalSegment;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;
import dev.caravan.pipeline.Engine;
import dev.caravan.source.Source;
import dev.caravan.source.WalSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How far WAL archiving of one continuous postgres source is behind: the age, in seconds, of the
 * oldest change the server has written that is not yet stored at every destination. {@code wal-push}
 * succeeds only once every destination holds a segment, so the server's archiver position
 * ({@code pg_stat_archiver.last_archived_wal}) is the end of what is stored everywhere.
 *
 * <p>Zero when the server has written nothing past the last archived segment. Otherwise the oldest
 * pending change was written after that segment ended, which is taken as {@code last_archived_time}
 * (or, when nothing was ever archived, the archiver's statistics reset or the server's start): under a
 * steady load that errs low by at most the time the last segment took to ship; after an idle spell the
 * first write makes it err high by the idle time, until that segment is shipped (it fills, or
 * {@code archive_timeout} switches it). Measured by one psql query on the source's own connection;
 * when the server cannot be asked, {@link #error()} says why and there is no figure.
 *
 * @param seconds        the lag at {@code measured}, or null with an {@link #error()}
 * @param pendingBytes   WAL bytes written past the last archived segment; -1 when it cannot be told
 * @param lastArchived   the last file the archiver stored (segment, {@code .backup} or {@code .history}), or null
 * @param lastFailed     the file of the archiver's last failure when it failed after its last success, else null
 * @param lastFailedTime when that failure was
 * @param measured       the local time of the measurement (the gauge adds the time since)
 * @param spool          with asynchronous archiving ({@code walSpool}): what waits in the spool, else null. The
 *                       archiver counts a spooled file as archived, so the lag is then also at least the age of the
 *                       oldest spooled file, and {@code pendingBytes} includes the spool's bytes
 */
public record WalLag(String plan, String source, Double seconds, long pendingBytes, String lastArchived, Instant lastArchivedTime,
                     String lastFailed, Instant lastFailedTime, String error, Instant measured, WalSpool.Depth spool) {

    static final String QUERY = "SELECT current_setting('archive_mode'), pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN '' ELSE pg_current_wal_lsn()::text END,"
            + " (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'),"
            + " coalesce(last_archived_wal, ''), coalesce(extract(epoch FROM last_archived_time)::text, ''),"
            + " coalesce(last_failed_wal, ''), coalesce(extract(epoch FROM last_failed_time)::text, ''),"
            + " extract(epoch FROM coalesce(stats_reset, pg_postmaster_start_time())), extract(epoch FROM now())"
            + " FROM pg_stat_archiver";

    /** The lag now: the measured figure plus the time since it was measured, or null with an error. */
    public Double secondsAt(Instant now) {
        if (seconds == null) {
            return null;
        }
        double server = seconds == 0 ? 0 : seconds + Math.max(0, Duration.between(measured, now).toMillis()) / 1000.0;
        return spool == null ? server : Math.max(server, spool.oldestSeconds(now));
    }

    /** The same figures with the spool as it is now (the service's shipper looks several times a second). */
    public WalLag withSpool(WalSpool.Depth now) {
        long pending = pendingBytes < 0 || spool == null ? pendingBytes : pendingBytes - spool.bytes() + now.bytes();
        return new WalLag(plan, source, seconds, pending, lastArchived, lastArchivedTime, lastFailed, lastFailedTime, error, measured, now);
    }

    /** Measures every source of {@code plan} with {@code continuous true}. */
    public static List<WalLag> measure(Engine engine, Plan plan) {
        List<WalLag> lags = new ArrayList<>();
        for (SourceSpec spec : plan.sources()) {
            Source s;
            try {
                s = engine.source(spec);
            } catch (RuntimeException e) {
                continue; // a source that cannot be made is reported by its backups
            }
            if (s instanceof WalSource pg && pg.continuous()) {
                WalLag lag = measure(plan.name(), spec.name(), pg);
                java.util.Optional<WalSpool> spool = WalSpool.of(spec);
                if (spool.isPresent() && lag.error() == null) {
                    try {
                        WalSpool.Depth d = spool.get().depth();
                        lag = new WalLag(lag.plan(), lag.source(), lag.seconds(), lag.pendingBytes() < 0 ? -1 : lag.pendingBytes() + d.bytes(),
                                lag.lastArchived(), lag.lastArchivedTime(), lag.lastFailed(), lag.lastFailedTime(), null, lag.measured(), d);
                    } catch (IOException e) {
                        lag = failed(plan.name(), spec.name(), "cannot read the WAL spool " + spool.get().dir() + ": " + e.getMessage(), lag.measured());
                    }
                }
                lags.add(lag);
            }
        }
        return lags;
    }

    public static WalLag measure(String plan, String source, WalSource pg) {
        Instant measured = Instant.now();
        String row;
        try {
            row = pg.query(QUERY);
        } catch (IOException | RuntimeException e) {
            return failed(plan, source, "cannot ask the server: " + e.getMessage(), measured);
        }
        String[] f = row.split("\\|", -1);
        if (f.length != 10) {
            return failed(plan, source, "unexpected answer from pg_stat_archiver: " + row, measured);
        }
        if ("off".equals(f[0])) {
            return failed(plan, source, "archive_mode is off on the server: no WAL is shipped", measured);
        }
        if ("t".equals(f[1])) {
            return failed(plan, source, "the server is in recovery (a standby): its WAL is archived by the primary", measured);
        }
        long segmentSize = Long.parseLong(f[3]);
        long current = lsn(f[2]);
        String lastArchived = f[4].isEmpty() ? null : f[4];
        Instant archivedAt = epoch(f[5]);
        Instant failedAt = epoch(f[7]);
        boolean failing = failedAt != null && (archivedAt == null || failedAt.isAfter(archivedAt));
        long archivedEnd = archivedEnd(lastArchived, segmentSize);
        long pending = archivedEnd < 0 ? -1 : Math.max(0, current - archivedEnd);
        double serverNow = Double.parseDouble(f[9]);
        double since = archivedAt != null ? Double.parseDouble(f[5]) : Double.parseDouble(f[8]);
        double seconds = pending == 0 ? 0 : Math.max(0, serverNow - since);
        return new WalLag(plan, source, seconds, pending, lastArchived, archivedAt, failing ? f[6] : null,
                failing ? failedAt : null, null, measured, null);
    }

    private static WalLag failed(String plan, String source, String why, Instant measured) {
        return new WalLag(plan, source, null, -1, null, null, null, null, why, measured, null);
    }

    /** Where the WAL stored everywhere ends: after the last archived segment; -1 when it cannot be told. */
    static long archivedEnd(String lastArchived, long segmentSize) {
        if (lastArchived == null || WalSegment.position(lastArchived) == null) {
            return -1; // nothing archived yet, or a timeline history file
        }
        long log = Long.parseLong(lastArchived.substring(8, 16), 16);
        long segment = Long.parseLong(lastArchived.substring(16, 24), 16);
        long start = (log << 32) + segment * segmentSize;
        // a .partial holds the end of a timeline; the segment itself continues on the next one
        return lastArchived.endsWith(".partial") ? start : start + segmentSize;
    }

    /** {@code 0/3000148} as a byte position. */
    static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
    }

    private static Instant epoch(String seconds) {
        if (seconds.isEmpty()) {
            return null;
        }
        double s = Double.parseDouble(seconds);
        return Instant.ofEpochMilli(Math.round(s * 1000));
    }
}
