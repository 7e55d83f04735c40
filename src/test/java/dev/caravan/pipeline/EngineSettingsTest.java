package dev.caravan.pipeline;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the spool goes (docs/cli.md, "Files Caravan keeps"), and which spool folders a run may take for dead. */
class EngineSettingsTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.clearProperty("caravan.work.dir");
    }

    @Test
    void the_spool_goes_to_tmpdir_caravan_work() {
        EngineSettings s = EngineSettings.fromEnvironment(ProgressListener.NONE, Map.of("TMPDIR", "/srv/scratch"));
        assertThat(s.workDir()).isEqualTo(Path.of("/srv/scratch/caravan-work"));
    }

    @Test
    void without_tmpdir_it_goes_to_the_jvms_temporary_directory() {
        Path expected = Path.of(System.getProperty("java.io.tmpdir"), "caravan-work");
        assertThat(EngineSettings.fromEnvironment(ProgressListener.NONE, Map.of()).workDir()).isEqualTo(expected);
        assertThat(EngineSettings.fromEnvironment(ProgressListener.NONE, Map.of("TMPDIR", "")).workDir()).isEqualTo(expected);
    }

    @Test
    void caravan_work_dir_wins_over_tmpdir_and_the_system_property_over_both() {
        Map<String, String> env = Map.of("TMPDIR", "/srv/scratch", "CARAVAN_WORK_DIR", "/var/cache/caravan");
        assertThat(EngineSettings.fromEnvironment(ProgressListener.NONE, env).workDir()).isEqualTo(Path.of("/var/cache/caravan"));
        System.setProperty("caravan.work.dir", "/elsewhere");
        assertThat(EngineSettings.fromEnvironment(ProgressListener.NONE, env).workDir()).isEqualTo(Path.of("/elsewhere"));
    }

    @Test
    void only_the_plans_own_spool_folders_count_as_dead() throws Exception {
        assertThat(DeadSpools.isSpoolOf("app", "app-20250101T000000Z")).isTrue();
        assertThat(DeadSpools.isSpoolOf("app", "app-replicate-4711")).isTrue();
        assertThat(DeadSpools.isSpoolOf("app", "app-x-20250101T000000Z")).isFalse();
        assertThat(DeadSpools.isSpoolOf("app", "wal-000000010000000000000003-1.part")).isFalse();
        assertThat(DeadSpools.isSpoolOf("app", "application-20250101T000000Z")).isFalse();

        Files.createDirectories(tmp.resolve("app-20250101T000000Z"));
        Files.write(tmp.resolve("app-20250101T000000Z/tree.tar.zst"), new byte[3 << 20]);
        Files.createDirectories(tmp.resolve("app-x-20250101T000000Z"));
        assertThat(DeadSpools.remove(tmp, "app")).containsExactly("removed the spool of a killed run: app-20250101T000000Z (3.0 MiB)");
        assertThat(tmp.resolve("app-20250101T000000Z")).doesNotExist();
        assertThat(tmp.resolve("app-x-20250101T000000Z")).exists();
        assertThat(DeadSpools.remove(tmp.resolve("missing"), "app")).isEmpty();
    }
}
