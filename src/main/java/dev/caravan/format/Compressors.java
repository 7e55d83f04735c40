package dev.caravan.format;

import java.util.List;

/** Every compression Caravan knows. Adding one: a small {@link Compressor} class and one line here. */
public final class Compressors {
    /** Buffer size used around compressing and decompressing streams. */
    static final int BUFFER = 128 * 1024;

    private static final List<Compressor> ALL = List.of(
            new ZstdCompressor(), new GzipCompressor(), new XzCompressor(), new Bzip2Compressor(), new NoCompressor());

    private Compressors() {
    }

    /** @throws IllegalArgumentException naming the known algorithms if {@code name} is not one */
    public static Compressor get(String name) {
        for (Compressor c : ALL) {
            if (c.name().equals(name)) {
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
