package dev.caravan.pipeline;

import java.nio.file.Path;

/**
 * Where Caravan keeps its own things.
 *
 * @param stateDir locks and other state: {@code $CARAVAN_STATE_DIR} (or system property {@code caravan.state.dir}), default {@code ~/.local/state/caravan}
 * @param workDir  spool files of runs in flight: {@code $CARAVAN_WORK_DIR} (or {@code caravan.work.dir}), default {@code <tmp>/caravan-work}
 * @param progress told as sources stream (the CLI draws a progress line on a terminal)
 */
public record EngineSettings(Path stateDir, Path workDir, ProgressListener progress) {

    public static EngineSettings fromEnvironment(ProgressListener progress) {
        String state = System.getProperty("caravan.state.dir", System.getenv("CARAVAN_STATE_DIR"));
        String work = System.getProperty("caravan.work.dir", System.getenv("CARAVAN_WORK_DIR"));
        Path home = Path.of(System.getProperty("user.home"));
        return new EngineSettings(
                state != null ? Path.of(state) : home.resolve(".local/state/caravan"),
                work != null ? Path.of(work) : Path.of(System.getProperty("java.io.tmpdir"), "caravan-work"),
                progress);
    }

    public EngineSettings withProgress(ProgressListener p) {
        return new EngineSettings(stateDir, workDir, p);
    }
}
