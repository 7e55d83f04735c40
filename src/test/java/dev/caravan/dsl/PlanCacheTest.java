package dev.caravan.dsl;

import dev.caravan.model.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PlanCacheTest {
    private static final String PLAN = """
            backup('site') {
                sources { files('www') { path '/srv/www' } }
                destinations { local('disk') { path '/mnt/backups' } }
            }
            """;

    @TempDir
    Path dir;

    private String previous;

    @BeforeEach
    void useOwnCache() {
        previous = System.getProperty("caravan.cache.dir");
        System.setProperty("caravan.cache.dir", dir.resolve("cache").toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty("caravan.cache.dir");
        } else {
            System.setProperty("caravan.cache.dir", previous);
        }
    }

    private List<Path> entries() throws IOException {
        Path plans = dir.resolve("cache/plans");
        if (!Files.isDirectory(plans)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(plans)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".classes")).toList();
        }
    }

    private static Config load(Path plan) throws PlanException {
        return PlanLoader.load(plan, Map.<String, String>of()::get);
    }

    @Test
    void a_plan_that_compiled_is_loaded_from_the_cache_the_next_time_with_the_same_result() throws Exception {
        Path plan = Files.writeString(dir.resolve("site.groovy"), PLAN);

        Config first = load(plan);
        assertThat(entries()).hasSize(1);
        Config second = load(plan);

        assertThat(entries()).hasSize(1);
        assertThat(second.plans()).hasToString(first.plans().toString());
    }

    @Test
    void an_edited_plan_is_compiled_again_and_its_edit_takes_effect() throws Exception {
        Path plan = Files.writeString(dir.resolve("site.groovy"), PLAN);
        load(plan);

        Files.writeString(plan, PLAN.replace("/srv/www", "/srv/other"));
        Config edited = load(plan);

        assertThat(entries()).hasSize(2);
        assertThat(edited.plans().get(0).sources().get(0).options().string("path")).contains("/srv/other");
    }

    @Test
    void a_file_that_does_not_compile_is_never_cached() throws Exception {
        Path plan = Files.writeString(dir.resolve("broken.groovy"), "backup('x') {\n    sources {\n");

        PlanException e = catchThrowableOfType(PlanException.class, () -> load(plan));

        assertThat(e.getMessage()).startsWith("broken.groovy:");
        assertThat(entries()).isEmpty();
    }

    @Test
    void problems_found_when_a_cached_plan_runs_keep_their_line() throws Exception {
        Path plan = Files.writeString(dir.resolve("typo.groovy"), """
                backup('site') {
                    sources { files('www') { path '/srv/www' } }
                    destinations { local('disk') { pth '/mnt/backups' } }
                }
                """);

        String compiled = catchThrowableOfType(PlanException.class, () -> load(plan)).getMessage();
        assertThat(entries()).hasSize(1);
        String cached = catchThrowableOfType(PlanException.class, () -> load(plan)).getMessage();

        assertThat(compiled).startsWith("typo.groovy:3: ");
        assertThat(cached).isEqualTo(compiled);
    }

    @Test
    void a_cache_entry_with_a_flipped_bit_is_never_run_and_is_stored_again() throws Exception {
        Path plan = Files.writeString(dir.resolve("site.groovy"), PLAN);
        Config first = load(plan);
        Path entry = entries().get(0);
        byte[] good = Files.readAllBytes(entry);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(entry, flipped);

        Config again = load(plan);

        assertThat(again.plans()).hasToString(first.plans().toString());
        assertThat(Files.readAllBytes(entry)).as("compiled and stored again").isNotEqualTo(flipped).hasSameSizeAs(good);
    }

    @Test
    void a_damaged_cache_entry_is_ignored_and_the_plan_compiles() throws Exception {
        Path plan = Files.writeString(dir.resolve("site.groovy"), PLAN);
        Config first = load(plan);
        Path entry = entries().get(0);
        byte[] bytes = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Config again = load(plan);

        assertThat(again.plans()).hasToString(first.plans().toString());
        assertThat(Files.size(entry)).isEqualTo(bytes.length);
    }
}
