package dev.caravan.dsl;

import dev.caravan.model.SourceSpec;
import dev.caravan.source.SourceKind;
import dev.caravan.source.SourceKinds;
import dev.caravan.spi.OptionDef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sources { files('chroma') { path '/data' } }}: one block per source, any kind in {@link SourceKinds}. */
public final class SourcesContext extends KindBlocksContext {
    SourcesContext(Loading loading) {
        super(loading, "source", kinds(),
                b -> SourceKinds.find(b.kind()).orElseThrow().problems(new SourceSpec(b.kind(), b.name(), b.line(), b.options())));
    }

    private static Map<String, List<OptionDef>> kinds() {
        Map<String, List<OptionDef>> m = new LinkedHashMap<>();
        for (SourceKind k : SourceKinds.all()) {
            m.put(k.kind(), k.options());
        }
        return m;
    }

    @Override
    Map<String, String> aliases() {
        return Map.ofEntries(
                Map.entry("postgresql", "postgres"),
                Map.entry("pg", "postgres"),
                Map.entry("pgsql", "postgres"),
                Map.entry("mariadb", "mysql"),
                Map.entry("mongodb", "mongo"),
                Map.entry("dir", "files"),
                Map.entry("directory", "files"),
                Map.entry("folder", "files"),
                Map.entry("sqlite3", "sqlite"),
                Map.entry("exec", "command"),
                Map.entry("shell", "command"));
    }

    List<SourceSpec> specs() {
        return blocks().stream().map(b -> new SourceSpec(b.kind(), b.name(), b.line(), b.options())).toList();
    }
}
