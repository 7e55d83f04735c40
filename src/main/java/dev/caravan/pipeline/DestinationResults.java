package dev.caravan.pipeline;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** The recipient list's aggregation: each destination's outcome is recorded on the job, failures are not rethrown. */
final class DestinationResults implements AggregationStrategy {
    private final BackupRunner runner;

    DestinationResults(BackupRunner runner) {
        this.runner = runner;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        return runner.destinationDone(oldExchange, newExchange);
    }
}
