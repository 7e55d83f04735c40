package dev.caravan.dsl;

import dev.caravan.destination.DestinationKind;
import dev.caravan.destination.DestinationKinds;
import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code destinations { local('nas') { path '/mnt/nas' } }}: any kind in {@link DestinationKinds}. */
public final class DestinationsContext extends KindBlocksContext {
    DestinationsContext(Loading loading) {
        super(loading, "destination", kinds(),
                b -> DestinationKinds.problems(new DestinationSpec(b.kind(), b.name(), b.line(), b.options())));
    }

    private static Map<String, List<OptionDef>> kinds() {
        Map<String, List<OptionDef>> m = new LinkedHashMap<>();
        for (DestinationKind k : DestinationKinds.all()) {
            m.put(k.kind(), k.options());
        }
        return m;
    }

    @Override
    Map<String, String> aliases() {
        return Map.ofEntries(
                Map.entry("dir", "local"),
                Map.entry("directory", "local"),
                Map.entry("folder", "local"),
                Map.entry("nas", "local"),
                Map.entry("minio", "s3"),
                Map.entry("blob", "azure"),
                Map.entry("gs", "gcs"),
                Map.entry("gcp", "gcs"),
                Map.entry("ssh", "sftp"),
                Map.entry("scp", "sftp"));
    }

    List<DestinationSpec> specs() {
        return blocks().stream().map(b -> new DestinationSpec(b.kind(), b.name(), b.line(), b.options())).toList();
    }
}
