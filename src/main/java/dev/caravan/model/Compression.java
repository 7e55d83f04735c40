package dev.caravan.model;

/** {@code compress 'zstd', level: 3, threads: 2}: algorithm is zstd, gzip, xz, bzip2 or none. */
public record Compression(String algorithm, int level, int threads) {
    public static final Compression DEFAULT = new Compression("zstd", 3, 0);
    public static final Compression NONE = new Compression("none", 0, 0);

}
