package dev.caravan.destination;

import dev.caravan.spi.OptionDef;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The option tables in docs/destinations/ stay in step with the OptionDefs the DSL validates against. */
class DestinationDocsTest {

    @Test
    void every_option_of_every_remote_kind_has_a_row_in_its_doc_and_no_row_is_stale() throws Exception {
        for (String kind : List.of("s3", "azure", "gcs", "sftp")) {
            List<OptionDef> options = DestinationKinds.find(kind).orElseThrow().options();
            String doc = Files.readString(Path.of("docs/destinations/" + kind + ".md"));
            List<String> rows = doc.lines().filter(l -> l.startsWith("| `"))
                    .map(l -> l.substring(3, l.indexOf('`', 3))).toList();
            assertThat(rows).as("option rows of docs/destinations/%s.md", kind)
                    .containsExactlyInAnyOrderElementsOf(OptionDef.names(options));
        }
    }
}
