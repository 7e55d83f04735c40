package dev.caravan.backup;

/**
 * Where things land on a destination (relative to its root or prefix):
 * {@code <plan>/<id>/<source>.<ext>} and {@code <plan>/<id>/manifest.json}, written last.
 */
public final class Layout {
    public static final String MANIFEST = "manifest.json";

    private Layout() {
    }

    public static String planPrefix(String plan) {
        return plan + "/";
    }

    public static String backupPrefix(String plan, String id) {
        return plan + "/" + id + "/";
    }

    public static String object(String plan, String id, String objectName) {
        return backupPrefix(plan, id) + objectName;
    }

    public static String manifest(String plan, String id) {
        return object(plan, id, MANIFEST);
    }

    /** {@code chroma.tar.zst.age}: source name, dump extension, then compression and encryption extensions. */
    public static String objectName(String source, String dumpExtension, String compressionExtension, boolean encrypted) {
        StringBuilder b = new StringBuilder(source).append('.').append(dumpExtension);
        if (!compressionExtension.isEmpty()) {
            b.append('.').append(compressionExtension);
        }
        if (encrypted) {
            b.append(".age");
        }
        return b.toString();
    }

    /**
     * Where a source's archived WAL lives: {@code <plan>/wal/<source>/}. {@code wal} is not a backup id,
     * so {@link Catalog} and {@link Pruner} never take these keys for a backup.
     */
    public static String walPrefix(String plan, String source) {
        return plan + "/wal/" + source + "/";
    }

    /** {@code <plan>/wal/<source>/000000010000000000000003.zst.age}. */
    public static String walObject(String plan, String source, String segment, String compressionExtension, boolean encrypted) {
        StringBuilder b = new StringBuilder(walPrefix(plan, source)).append(segment);
        if (!compressionExtension.isEmpty()) {
            b.append('.').append(compressionExtension);
        }
        if (encrypted) {
            b.append(".age");
        }
        return b.toString();
    }

    /**
     * Where a deduplicated plan's chunks live: {@code <plan>/chunks/}. Shared by all its backups at that
     * destination; {@code chunks} is not a backup id, so {@link Catalog} never takes these keys for a backup.
     */
    public static String chunkPrefix(String plan) {
        return plan + "/chunks/";
    }

    /** {@code <plan>/chunks/<name>}, {@code name} as a manifest lists it ({@code 3f...a9.zst.age}). */
    public static String chunk(String plan, String name) {
        return chunkPrefix(plan) + name;
    }

    /** The id part of a key under a plan, or null: {@code app/20250101T000000Z/x} -> {@code 20250101T000000Z}. */
    public static String idOf(String plan, String key) {
        String prefix = planPrefix(plan);
        if (!key.startsWith(prefix)) {
            return null;
        }
        int slash = key.indexOf('/', prefix.length());
        if (slash < 0) {
            return null;
        }
        String id = key.substring(prefix.length(), slash);
        return BackupId.isId(id) ? id : null;
    }
}
