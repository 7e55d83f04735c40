package dev.caravan.cli;

import dev.caravan.pipeline.ProgressListener;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** A one-line progress display on a terminal: bytes read from the source, rate, and ETA when the size is known. */
final class TerminalProgress implements ProgressListener, AutoCloseable {
    private final PrintWriter err;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-progress");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> task;

    TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    /** Progress only when a person watches: a terminal, not --json, not CARAVAN_PROGRESS=0. */
    static ProgressListener forTerminal(PrintWriter err, boolean json) {
        String env = System.getenv("CARAVAN_PROGRESS");
        boolean on = "1".equals(env) || (System.console() != null && !"0".equals(env));
        return on && !json ? new TerminalProgress(err) : ProgressListener.NONE;
    }

    @Override
    public synchronized void started(String plan, String source, LongAdder dumpBytes, long estimatedBytes) {
        long t0 = System.nanoTime();
        task = ticker.scheduleAtFixedRate(() -> draw(plan, source, dumpBytes.sum(), estimatedBytes, t0), 500, 500, TimeUnit.MILLISECONDS);
    }

    private void draw(String plan, String source, long done, long total, long t0) {
        double secs = Math.max(0.001, (System.nanoTime() - t0) / 1e9);
        double rate = done / secs;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "\r%s/%s  %s", plan, source, Sizes.human(done)));
        if (total > 0) {
            line.append(" / ").append(Sizes.human(total));
        }
        line.append(String.format(Locale.ROOT, "  %s/s", Sizes.human((long) rate)));
        if (total > done && rate > 0) {
            line.append("  ETA ").append(Sizes.duration(Duration.ofSeconds((long) ((total - done) / rate))));
        }
        synchronized (err) {
            err.print(line + "\u001b[K");
            err.flush();
        }
    }

    @Override
    public synchronized void finished(String plan, String source) {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        synchronized (err) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
