package dev.caravan.dsl;

import dev.caravan.format.Compressors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code compress 'gz'} is gzip, as tar and restic spell it; a suggestion names the algorithm an alias stands for. */
class CompressionAliasesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"gz, gzip", "GZ, gzip", "gzip, gzip", "bz2, bzip2", "bzip, bzip2", "bzip2, bzip2", "zst, zstd",
            "zstandard, zstd", "zstd, zstd", "xz, xz", "off, none"})
    void the_seed_systems_spellings_load_as_the_algorithm_they_name(String written, String algorithm) throws Exception {
        Path plan = dir.resolve("p.groovy");
        Files.writeString(plan, """
                backup('a') {
                    sources { files('x') { path '/x' } }
                    compress '%s'
                    destinations { local('y') { path '/y' } }
                }
                """.formatted(written));

        assertThat(PlanLoader.load(plan, k -> null).plans().get(0).compression().algorithm()).isEqualTo(algorithm);
        assertThat(Compressors.get(written).name()).isEqualTo(algorithm);
    }

    @Test
    void an_alias_is_suggested_as_its_algorithm_never_as_the_nearest_spelling() {
        List<String> known = List.of("zstd", "gzip", "xz", "bzip2", "none");
        // 'gz' is one edit from 'xz' and two from 'gzip': the alias wins over edit distance
        assertThat(Suggest.didYouMean("gz", known, Map.of("gz", "gzip"))).contains("gzip");
        assertThat(Suggest.didYouMean("gz", known)).contains("xz");
        assertThat(Suggest.didYouMean("gzp", known, Compressors.ALIASES)).contains("gzip");
        assertThat(Suggest.didYouMean("zstandart", known, Compressors.ALIASES)).contains("zstd");
    }

    @Test
    void a_short_unrelated_word_gets_no_suggestion() {
        // 'lz4' is two edits from 'xz': in a three-letter word that is no likeness
        assertThat(Suggest.didYouMean("lz4", List.of("zstd", "gzip", "xz", "bzip2", "none"), Compressors.ALIASES)).isEmpty();
    }

    @Test
    void docs_dsl_md_lists_every_alias_beside_its_algorithm() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("docs/dsl.md")).stream().filter(l -> l.startsWith("| `")).toList();
        Compressors.ALIASES.forEach((alias, algorithm) -> assertThat(rows)
                .as("docs/dsl.md's compress table names '%s' in the row of %s", alias, algorithm)
                .anyMatch(r -> r.startsWith("| `" + algorithm + "` |") && r.contains("`" + alias + "`")));
    }
}
