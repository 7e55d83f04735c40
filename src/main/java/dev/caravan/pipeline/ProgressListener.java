package dev.caravan.pipeline;

import java.util.concurrent.atomic.LongAdder;

/** Told when a source starts and ends streaming; the counter grows with the dump's bytes. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void started(String plan, String source, LongAdder dumpBytes, long estimatedBytes) {
        }

        @Override
        public void finished(String plan, String source) {
        }
    };

    /** @param estimatedBytes expected dump size, or -1 when unknown */
    void started(String plan, String source, LongAdder dumpBytes, long estimatedBytes);

    void finished(String plan, String source);
}
