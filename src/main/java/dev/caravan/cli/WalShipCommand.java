package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;
import dev.caravan.pipeline.Engine;
import dev.caravan.wal.WalShipper;
import dev.caravan.wal.WalSpool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.channels.FileLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code caravan wal-ship PLAN [--plan P] [--source S]}: ships what waits in the WAL spools of a plan
 * (asynchronous archiving, {@code walSpool}) when no service does, e.g. from a timer or by hand. Exits 0
 * when the spools are empty, 1 when a file could not be shipped (it stays), 3 when another shipper holds
 * a spool.
 */
@Command(name = "wal-ship", hidden = true,
        description = "Ship the WAL files waiting in the plan's WAL spools (asynchronous archiving) to every destination.")
final class WalShipCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "The plan (needed when the file has several).")
    String plan;

    @Option(names = "--source", paramLabel = "S", description = "Only this source (default: every source with walSpool).")
    String source;

    @Override
    int execute() throws Exception {
        Plan p = onePlan(plan);
        List<SourceSpec> sources = new ArrayList<>();
        for (SourceSpec s : p.sources()) {
            if ((source == null || s.name().equals(source)) && WalSpool.of(s).isPresent()) {
                sources.add(s);
            }
        }
        if (sources.isEmpty()) {
            throw new UsageException(source == null ? "plan '" + p.name() + "' has no source with walSpool"
                    : "plan '" + p.name() + "' has no source '" + source + "' with walSpool");
        }
        int exit = OK;
        try (Engine engine = engine()) {
            for (SourceSpec s : sources) {
                WalSpool spool = WalSpool.of(s).orElseThrow();
                try (FileLock lock = spool.tryLockShipper()) {
                    if (lock == null) {
                        err().println("caravan: wal-ship: another shipper (the service?) ships " + spool.dir() + " of source '" + s.name() + "'");
                        exit = Math.max(exit, LOCKED);
                        continue;
                    }
                    try (WalShipper shipper = new WalShipper(engine, () -> p, s.name(), spool, WalSpool.parallel(s))) {
                        Map<String, String> failed = shipper.drain();
                        failed.forEach((f, why) -> err().println("caravan: wal-ship " + f + " of source '" + s.name() + "' failed: " + why));
                        if (!failed.isEmpty()) {
                            exit = Math.max(exit, FAILED);
                        }
                    }
                }
                if (verbose) {
                    out().println(s.name() + ": " + spool.depth().segments() + " file(s) left in " + spool.dir());
                }
            }
        }
        return exit;
    }
}
