package dev.caravan.cli;

import dev.caravan.backup.Unpacker;
import dev.caravan.destination.Destination;
import dev.caravan.model.Plan;
import dev.caravan.source.Source;
import dev.caravan.source.WalSource;
import dev.caravan.wal.RecoveryConfig;
import dev.caravan.wal.WalFetcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code restore --to-time}: after the base backup is unpacked, fetch the archived WAL and write the recovery settings. */
final class PointInTime {
    static final String WAL_DIR = "caravan_wal";

    private PointInTime() {
    }

    static boolean applies(Source s) {
        return s instanceof WalSource w && w.continuous();
    }

    /** Usage errors before anything is read: a bad time or no directory. */
    static void checkTarget(String toTime, String to) {
        try {
            RecoveryConfig.checkTime(toTime);
        } catch (IllegalArgumentException e) {
            throw new PlanCommand.UsageException(e.getMessage());
        }
        if (to == null || to.contains("://")) {
            throw new PlanCommand.UsageException("--to-time needs --to DIR: the new data directory to recover into");
        }
    }

    /** A usage error when none of the selected sources can be recovered to a time. */
    static void checkSources(List<Source> sources) {
        if (sources.stream().noneMatch(PointInTime::applies)) {
            throw new PlanCommand.UsageException("--to-time works only for postgres sources with continuous true;"
                    + " none of the selected sources is one (pick it with --only)");
        }
    }

    static void prepare(Plan plan, String source, Destination d, Path dataDir, String toTime, Unpacker unpacker,
                        boolean dryRun, PrintWriter out) throws IOException {
        Path walDir = dataDir.toAbsolutePath().resolve(WAL_DIR);
        if (dryRun) {
            out.println("  would fetch the archived WAL of " + source + " from " + d.name() + " into " + walDir
                    + " and set recovery_target_time = '" + toTime + "'");
            return;
        }
        int n = new WalFetcher(plan, source, unpacker).fetch(d, walDir);
        out.println("  fetched " + n + " archived WAL files of " + source + " from " + d.name() + " into " + walDir);
        RecoveryConfig.write(dataDir, walDir, toTime);
        out.println("  recovery.signal written: the server replays WAL up to '" + toTime + "', then promotes");
        out.println("  start it as the postgres user: chown -R postgres:postgres " + dataDir.toAbsolutePath()
                + " && runuser -u postgres -- pg_ctl -D " + dataDir.toAbsolutePath() + " start");
    }
}
