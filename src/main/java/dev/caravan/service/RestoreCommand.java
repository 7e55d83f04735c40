package dev.caravan.service;

import dev.caravan.model.Plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The command line that restores one backup, as the status page shows it to copy: this
 * installation's launcher, the plan file the service runs, the backup's id and {@code --plan}.
 * The launcher is {@code bin/caravan} next to the {@code lib/} this jar was loaded from (the release
 * package), else {@code caravan} (a checkout: its {@code jbang/caravan}).
 */
final class RestoreCommand {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
    private static final String LAUNCHER = launcher();

    private RestoreCommand() {
    }

    static String of(Path planFile, Plan plan, String backupId) {
        return List.of(LAUNCHER, "restore", planFile.toAbsolutePath().toString(), backupId, "--plan", plan.name()).stream()
                .map(RestoreCommand::quote).collect(Collectors.joining(" "));
    }

    /** POSIX shell quoting: plain words as they are, anything else in single quotes. */
    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String launcher() {
        try {
            Path jar = Path.of(RestoreCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path bin = jar.getParent() == null || jar.getParent().getParent() == null ? null
                    : jar.getParent().getParent().resolve("bin").resolve("caravan");
            if (jar.getParent() != null && jar.getParent().getFileName().toString().equals("lib") && bin != null && Files.isExecutable(bin)) {
                return bin.toString();
            }
        } catch (Exception e) {
            // no code source (e.g. a custom class loader): the plain name
        }
        return "caravan";
    }
}
