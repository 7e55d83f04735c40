package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.wal.WalPusher;
import dev.caravan.wal.WalShipper;
import dev.caravan.wal.WalSpool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code caravan wal-push PLAN --plan P --source S %p %f}: PostgreSQL's {@code archive_command}. Exits 0
 * only when every destination holds the segment and it read back intact; otherwise PostgreSQL retries.
 * When the source has {@code walSpool} (asynchronous archiving), it puts the file durably into the spool
 * and exits 0; the running service ships it. When no shipper holds the spool (no service runs), it ships
 * the spool itself before it exits, so archiving goes on without the service.
 */
@Command(name = "wal-push", hidden = true,
        description = "archive_command for continuous PostgreSQL archiving: ship one WAL file to every destination of the plan.")
final class WalPushCommand extends PlanCommand {
    @Parameters(index = "1", paramLabel = "PATH", description = "The WAL file (%p).")
    Path segmentFile;

    @Parameters(index = "2", paramLabel = "NAME", description = "Its file name (%f).")
    String segment;

    @Option(names = "--plan", paramLabel = "P", description = "The plan (needed when the file has several).")
    String plan;

    @Option(names = "--source", required = true, paramLabel = "S", description = "The postgres source with continuous true.")
    String source;

    @Override
    int execute() throws Exception {
        Plan p = onePlan(plan);
        if (p.source(source).isEmpty()) {
            throw new UsageException("plan '" + p.name() + "' has no source '" + source + "'");
        }
        if (!Files.isRegularFile(segmentFile)) {
            throw new UsageException(segmentFile + " is not a file (archive_command passes the WAL file as %p)");
        }
        java.util.Optional<WalSpool> spool = WalSpool.of(p, source);
        if (spool.isPresent()) {
            return spool(p, spool.get());
        }
        try (Engine engine = engine()) {
            WalPusher pusher = new WalPusher(engine, p, source);
            Map<String, String> failed;
            try {
                failed = pusher.push(segmentFile, segment);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (!failed.isEmpty()) {
                failed.forEach((d, why) -> err().println("caravan: wal-push " + segment + " to " + d + " failed: " + why));
                return FAILED;
            }
            if (verbose) {
                out().println("archived " + segment + " as " + pusher.key(segment));
            }
        }
        return OK;
    }

    private int spool(Plan p, WalSpool spool) throws Exception {
        try {
            spool.put(segmentFile, segment);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (java.io.IOException e) {
            err().println("caravan: wal-push " + segment + " to the spool of plan '" + p.name() + "', source '" + source + "' failed: "
                    + dev.caravan.io.Failures.rootCause(e));
            return FAILED;
        }
        try (FileLock lock = spool.tryLockShipper()) {
            if (lock == null) {
                return OK; // the service (or a wal-ship) ships it
            }
            try (Engine engine = engine();
                 WalShipper shipper = new WalShipper(engine, () -> p, source, spool, WalSpool.parallel(p.source(source).orElseThrow()))) {
                // the segment is safe in the spool whatever happens here: a failure is the next shipper's to retry
                shipper.drain().forEach((f, why) -> err().println("caravan: wal-push: " + f + " stays in the spool " + spool.dir() + ": " + why));
            }
        }
        return OK;
    }
}
