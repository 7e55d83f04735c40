package dev.caravan.backup;

import java.util.regex.Pattern;

/** The names PostgreSQL's archiver hands to archive_command ({@code %f}): segments, history and backup files. */
public final class WalSegment {
    private static final Pattern NAME = Pattern.compile("[0-9A-F]{24}(\\.partial|\\.[0-9A-F]{8}\\.backup)?|[0-9A-F]{8}\\.history");

    private WalSegment() {
    }

    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The segment name of a stored key's last part: {@code 0000...03.zst.age} -> {@code 0000...03}. */
    public static String nameOf(String fileName) {
        String n = fileName;
        if (n.endsWith(".age")) {
            n = n.substring(0, n.length() - 4);
        }
        for (int dot = n.lastIndexOf('.'); dot > 0 && !isName(n); dot = n.lastIndexOf('.')) {
            n = n.substring(0, dot);
        }
        return isName(n) ? n : null;
    }

    /**
     * The position part of a segment, {@code .partial} or {@code .backup} file name (log and segment
     * number, without the timeline: the last 16 of the first 24 characters), so names compare in WAL
     * order the way {@code pg_archivecleanup} compares them; null for a timeline history file.
     */
    public static String position(String name) {
        return isName(name) && !name.endsWith(".history") ? name.substring(8, 24) : null;
    }

    /** The compression extension of a stored key's last part, {@code ""} for none. */
    public static String compressionExtension(String fileName, String segment) {
        String rest = fileName.substring(segment.length());
        if (rest.endsWith(".age")) {
            rest = rest.substring(0, rest.length() - 4);
        }
        return rest.startsWith(".") ? rest.substring(1) : rest;
    }
}
