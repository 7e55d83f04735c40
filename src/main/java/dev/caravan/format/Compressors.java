package dev.caravan.format;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Every compression Caravan knows. Adding one: a small {@link Compressor} class and one line here. */
public final class Compressors {
    /** Buffer size used around compressing and decompressing streams. */
    static final int BUFFER = 128 * 1024;

    private static final List<Compressor> ALL = List.of(
            new ZstdCompressor(), new GzipCompressor(), new XzCompressor(), new Bzip2Compressor(), new NoCompressor());

    /**
     * Other spellings of the algorithms, as the tools and systems people come from write them
     * (tar's and restic's {@code gz}, borg's and rsnapshot's {@code bz2}, file extensions): each
     * is taken as the algorithm it names. Aliases are never stored: a plan's compression is always
     * one of {@link #names()}.
     */
    public static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("zst", "zstd"), Map.entry("zstandard", "zstd"),
            Map.entry("gz", "gzip"), Map.entry("gunzip", "gzip"),
            Map.entry("bz2", "bzip2"), Map.entry("bzip", "bzip2"), Map.entry("bz", "bzip2"),
            Map.entry("txz", "xz"),
            Map.entry("off", "none"), Map.entry("uncompressed", "none"));

    private Compressors() {
    }

    /** The algorithm a name or an {@link #ALIASES alias} stands for (any case), or empty when it is neither. */
    public static Optional<String> canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return names().contains(n) ? Optional.of(n) : Optional.ofNullable(ALIASES.get(n));
    }

    /** @throws IllegalArgumentException naming the known algorithms if {@code name} is not one */
    public static Compressor get(String name) {
        String n = canonical(name).orElse(name);
        for (Compressor c : ALL) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + name + "'; expected one of: " + String.join(", ", names()));
    }

    public static List<String> names() {
        return ALL.stream().map(Compressor::name).toList();
    }

    /** {@code name version} from the jar manifest of the library that holds {@code type}. */
    static String libraryVersion(String name, Class<?> type) {
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return name + " " + (v == null ? "unknown" : v);
    }
}
