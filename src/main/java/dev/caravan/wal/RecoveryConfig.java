package dev.caravan.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Turns an unpacked base backup into a server that replays archived WAL up to a moment and then
 * opens for writes: {@code restore_command}, {@code recovery_target_time} and
 * {@code recovery_target_action = 'promote'} in {@code postgresql.auto.conf}, plus {@code recovery.signal}.
 */
public final class RecoveryConfig {
    /** {@code 2025-10-23 12:00:00}, optional fraction and zone ({@code +02}, {@code +02:00}, {@code Z}, {@code UTC}, {@code Europe/Paris}). */
    private static final Pattern TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?( ?([+-]\\d{2}(:?\\d{2})?|Z|UTC|[A-Za-z]+(/[A-Za-z_]+)*))?");

    private RecoveryConfig() {
    }

    /** @throws IllegalArgumentException with the expected shape when {@code time} is not a timestamp */
    public static String checkTime(String time) {
        if (time == null || !TIME.matcher(time.trim()).matches()) {
            throw new IllegalArgumentException("--to-time '" + time + "' is not a time; expected 'YYYY-MM-DD HH:MM:SS[+TZ]',"
                    + " e.g. '2025-10-23 12:00:00+02' (without a zone, the recovered server's timezone setting applies)");
        }
        return time.trim();
    }

    public static void write(Path dataDir, Path walDir, String targetTime) throws IOException {
        String time = checkTime(targetTime);
        String conf = "\n# written by caravan restore --to-time\n"
                + "restore_command = " + literal("cp " + shellQuote(walDir.toAbsolutePath() + "/%f") + " \"%p\"") + "\n"
                + "recovery_target_time = " + literal(time) + "\n"
                + "recovery_target_action = 'promote'\n";
        Files.writeString(dataDir.resolve("postgresql.auto.conf"), conf, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.writeString(dataDir.resolve("recovery.signal"), "");
    }

    private static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String shellQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`") + "\"";
    }
}
