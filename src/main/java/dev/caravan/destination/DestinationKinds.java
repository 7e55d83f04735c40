package dev.caravan.destination;

import dev.caravan.destination.azure.AzureDestinationKind;
import dev.caravan.destination.gcs.GcsDestinationKind;
import dev.caravan.destination.local.LocalDestinationKind;
import dev.caravan.destination.s3.S3DestinationKind;
import dev.caravan.destination.sftp.SftpDestinationKind;
import dev.caravan.model.DestinationSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every destination kind. Adding one: a folder under destination/, a template in routes/, one line here, the DSL reference. */
public final class DestinationKinds {
    private static final List<DestinationKind> ALL = List.of(new LocalDestinationKind(), new S3DestinationKind(),
            new AzureDestinationKind(), new GcsDestinationKind(), new SftpDestinationKind());

    private DestinationKinds() {
    }

    public static List<DestinationKind> all() {
        return ALL;
    }

    public static Optional<DestinationKind> find(String kind) {
        return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
    }

    /** Every rule a destination block breaks: its kind's ({@link DestinationKind#problems}), then retries and timeout. */
    public static List<String> problems(DestinationSpec spec) {
        List<String> all = new ArrayList<>();
        find(spec.kind()).ifPresent(k -> all.addAll(k.problems(spec)));
        all.addAll(Delivery.problems(spec));
        return all;
    }

    public static List<String> names() {
        return ALL.stream().map(DestinationKind::kind).toList();
    }
}
