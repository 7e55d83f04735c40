package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.wal.WalPusher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code caravan wal-push PLAN --plan P --source S %p %f}: PostgreSQL's {@code archive_command}. Exits 0
 * only when every destination holds the segment and it read back intact; otherwise PostgreSQL retries.
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
}
