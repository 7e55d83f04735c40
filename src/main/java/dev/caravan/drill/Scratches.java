package dev.caravan.drill;

import dev.caravan.model.SourceSpec;

import java.io.IOException;
import java.util.Map;

/** Which scratch target each source kind restores into; any other kind (and extras) restore to a temporary directory. */
final class Scratches {
    private static final Map<String, Scratch.Opener> KINDS = Map.of(
            "postgres", PostgresScratch::new,
            "mysql", MysqlScratch::new,
            "redis", RedisScratch::start,
            "mongo", MongoScratch::new,
            "sqlite", SqliteScratch::new,
            "files", spec -> new DirScratch());

    private Scratches() {
    }

    /** {@code spec} is null for an object that is no plan source of its own (a source's extra, such as an export). */
    static Scratch open(SourceSpec spec) throws IOException {
        if (spec == null) {
            return new DirScratch();
        }
        return KINDS.getOrDefault(spec.kind(), s -> new DirScratch()).open(spec);
    }
}
