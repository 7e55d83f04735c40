package dev.caravan.dsl;

import dev.caravan.format.Compressors;
import dev.caravan.model.Compression;

import java.util.List;
import java.util.Map;

/** Validates {@code compress 'zstd', level: 3, threads: 2} into a {@link Compression}. */
final class CompressionArgs {
    /** Algorithm -> {lowest level, highest level, default level}. */
    static final Map<String, int[]> LEVELS = Map.of(
            "zstd", new int[] {1, 19, 3},
            "gzip", new int[] {1, 9, 6},
            "xz", new int[] {0, 9, 6},
            "bzip2", new int[] {1, 9, 9});
    static final List<String> ALGORITHMS = Compressors.names();
    private static final List<String> NAMED = List.of("level", "threads");

    private CompressionArgs() {
    }

    /** The compression, or null when something is wrong (problems recorded on the context). */
    static Compression parse(Context ctx, Object algorithm, Map<?, ?> named) {
        String written = Context.text(algorithm);
        String alg = written == null ? null : Compressors.canonical(written).orElse(null);
        if (alg == null) {
            ctx.problem(written == null ? "compress needs an algorithm in quotes, e.g. compress 'zstd'"
                    : "unknown compression '" + written + "'", Suggest.hints(written == null ? "" : written, ALGORITHMS, Compressors.ALIASES));
            return null;
        }
        boolean ok = true;
        Integer level = null;
        int threads = 0;
        for (Map.Entry<?, ?> e : named.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!NAMED.contains(key)) {
                ctx.problem("compress: unknown option '" + key + "'", Suggest.hints(key, NAMED));
                ok = false;
            } else if (!(e.getValue() instanceof Integer n)) {
                ctx.problem("compress: " + key + " must be a whole number, not '" + e.getValue() + "'");
                ok = false;
            } else if (key.equals("level")) {
                level = n;
            } else if (n < 0) {
                ctx.problem("compress: threads must be 0 (automatic) or more, not " + n);
                ok = false;
            } else {
                threads = n;
            }
        }
        if (alg.equals("none")) {
            if (level != null || threads != 0) {
                ctx.problem("compress 'none' takes no level or threads");
                return null;
            }
            return ok ? Compression.NONE : null;
        }
        int[] range = LEVELS.get(alg);
        if (level != null && (level < range[0] || level > range[1])) {
            ctx.problem("compression level " + level + " is out of range for " + alg,
                    List.of("expected " + range[0] + ".." + range[1] + " (default " + range[2] + ")"));
            return null;
        }
        return ok ? new Compression(alg, level == null ? range[2] : level, threads) : null;
    }
}
