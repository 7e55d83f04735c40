package dev.caravan.pipeline;

import dev.caravan.model.Plan;

/** Told when a run of a plan has ended (lock released, work dir gone): alerts, metrics, the audit log. */
@FunctionalInterface
public interface RunListener {
    void finished(Plan plan, BackupResult result);
}
