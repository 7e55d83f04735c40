package dev.caravan.pipeline;

import dev.caravan.backup.BackupId;
import dev.caravan.io.Failures;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Spool folders that runs of a plan left in the work dir when they were killed: a backup's
 * {@code <plan>-<id>/} and a replicate's {@code <plan>-replicate-<pid>/}. A run removes its own when it
 * ends; one killed by SIGKILL, the OOM killer or a power cut cannot, and leaves its whole spooled
 * object. The next run of the plan removes them: it holds the plan's lock, so no run of that plan
 * that could still be writing them is alive.
 */
public final class DeadSpools {
    private DeadSpools() {
    }

    /**
     * Removes the plan's spool folders in {@code workDir}; the caller holds the plan's lock. Returns one
     * line per folder removed ({@code removed the spool of a killed run: app-20250101T000000Z (219 MB)}).
     * A folder that cannot be removed is left for the next run, with its reason in the line.
     */
    public static List<String> remove(Path workDir, String plan) {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(workDir)) {
            return lines;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workDir, p -> isSpoolOf(plan, p.getFileName().toString()))) {
            for (Path dir : dirs) {
                long bytes = size(dir);
                try {
                    deleteTree(dir);
                    lines.add("removed the spool of a killed run: " + dir.getFileName() + " (" + (bytes >= 1 << 20 ? String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0) : bytes + " bytes") + ")");
                } catch (IOException e) {
                    lines.add("cannot remove the spool of a killed run " + dir + ": " + Failures.rootCause(e));
                }
            }
        } catch (IOException e) {
            lines.add("cannot look for spools of killed runs in " + workDir + ": " + e.getMessage());
        }
        return lines;
    }

    /** {@code <plan>-<backup id>} or {@code <plan>-replicate-<pid>}; never another plan's (plan {@code app} is not {@code app-x}). */
    static boolean isSpoolOf(String plan, String folder) {
        if (!folder.startsWith(plan + "-")) {
            return false;
        }
        String rest = folder.substring(plan.length() + 1);
        return BackupId.isId(rest) || rest.matches("replicate-\\d+");
    }

    private static long size(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
