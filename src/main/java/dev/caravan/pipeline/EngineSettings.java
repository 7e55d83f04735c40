package dev.caravan.pipeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Caravan keeps its own things.
 *
 * @param stateDir locks and other state: {@code $CARAVAN_STATE_DIR} (or system property {@code caravan.state.dir}), default {@code ~/.local/state/caravan}
 * @param workDir  spool files of runs in flight: {@code --work-dir}, else {@code $CARAVAN_WORK_DIR} (or {@code caravan.work.dir}),
 *                 else {@code $TMPDIR/caravan-work}, else {@code <java.io.tmpdir>/caravan-work}
 * @param progress told as sources stream (the CLI draws a progress line on a terminal)
 */
public record EngineSettings(Path stateDir, Path workDir, ProgressListener progress) {
    /** The folder under the temporary directory that holds the spool when no work dir is set. */
    public static final String WORK_FOLDER = "caravan-work";

    public static EngineSettings fromEnvironment(ProgressListener progress) {
        return fromEnvironment(progress, System.getenv());
    }

    /** As {@link #fromEnvironment(ProgressListener)}, reading {@code env} instead of the process's environment. */
    static EngineSettings fromEnvironment(ProgressListener progress, Map<String, String> env) {
        String state = System.getProperty("caravan.state.dir", env.get("CARAVAN_STATE_DIR"));
        String work = System.getProperty("caravan.work.dir", env.get("CARAVAN_WORK_DIR"));
        Path home = Path.of(System.getProperty("user.home"));
        return new EngineSettings(
                state != null ? Path.of(state) : home.resolve(".local/state/caravan"),
                work != null && !work.isBlank() ? Path.of(work) : defaultWorkDir(env),
                progress);
    }

    /**
     * {@code $TMPDIR/caravan-work}, as every other Unix tool takes its temporary directory; the JVM's
     * {@code java.io.tmpdir} ({@code /tmp} on Linux, whatever {@code TMPDIR} says) only when it is unset.
     */
    static Path defaultWorkDir(Map<String, String> env) {
        String tmp = env.get("TMPDIR");
        return Path.of(tmp != null && !tmp.isBlank() ? tmp : System.getProperty("java.io.tmpdir"), WORK_FOLDER);
    }

    public EngineSettings withProgress(ProgressListener p) {
        return new EngineSettings(stateDir, workDir, p);
    }

    /** The same, with the spool in {@code dir} (the command line's {@code --work-dir}). */
    public EngineSettings withWorkDir(Path dir) {
        return new EngineSettings(stateDir, dir, progress);
    }
}
