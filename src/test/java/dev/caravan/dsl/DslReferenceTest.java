package dev.caravan.dsl;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DslReferenceTest {
    private static final Path DOC = Path.of("docs/dsl.md");

    /** Regenerate with {@code mvn -q -o test -Dtest=DslReferenceTest -Dcaravan.updateDocs=true} (or DslReference.main). */
    @Test
    void docs_dsl_md_holds_the_option_tables_of_every_registered_kind() throws Exception {
        String doc = Files.readString(DOC);
        String current = DslReference.update(doc);
        if (Boolean.getBoolean("caravan.updateDocs") && !current.equals(doc)) {
            Files.writeString(DOC, current);
            doc = current;
        }
        assertThat(doc).as("docs/dsl.md is out of date: run dev.caravan.dsl.DslReference, or this test with"
                + " -Dcaravan.updateDocs=true").isEqualTo(current);
    }

    @Test
    void the_tables_list_every_option_with_its_example() {
        String md = DslReference.render();
        assertThat(md).contains("#### `files`", "#### `local`",
                "| `path` | path (relative: from the plan file's directory) | yes | Directory (or single file) to back up. | `path '/data2/rpger/chroma'` |",
                "| `exclude` | strings (repeatable, adds up) | no |");
    }
}
