package dev.caravan.dsl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every mistake fixture {@code src/test/resources/dsl/NAME.groovy} fails to load with exactly the
 * text in {@code NAME.expected}, the way the user sees it.
 */
class PlanFixturesTest {
    static final Path FIXTURES = Path.of("src/test/resources/dsl");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".groovy"))
                    .map(n -> n.substring(0, n.length() - ".groovy".length()))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void a_mistake_is_reported_with_its_exact_message(String name) throws IOException {
        Path plan = FIXTURES.resolve(name + ".groovy");
        Path expected = FIXTURES.resolve(name + ".expected");

        PlanException e = catchThrowableOfType(PlanException.class,
                () -> PlanLoader.load(plan, Map.of("CARAVAN_TEST_PATH", "/data/env")::get));

        assertThat(e).as("%s should not load", plan).isNotNull();
        assertThat(expected).as("each fixture has its expected message; actual:%n%s", e.getMessage()).exists();
        assertThat(e.getMessage()).isEqualTo(Files.readString(expected).stripTrailing());
    }
}
