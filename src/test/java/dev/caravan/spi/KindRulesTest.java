package dev.caravan.spi;

import dev.caravan.destination.DestinationKinds;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.SourceKinds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each kind's rules are written once: what {@code problems()} reports when the plan loads is the
 * sentence {@code create()} refuses the same block with, so check and the run never disagree.
 */
class KindRulesTest {
    static Stream<Arguments> destinations() {
        return Stream.of(
                Arguments.of("s3", Options.of("bucket", "b", "accessKey", new Secret("AKIA", "test"))),
                Arguments.of("s3", Options.of("bucket", "b", "partSize", 1)),
                Arguments.of("azure", Options.of("container", "c")),
                Arguments.of("sftp", Options.of("host", "h", "user", "u", "path", "/b", "strictHostKeyChecking", false)),
                Arguments.of("sftp", Options.of("host", "h", "user", "u", "path", "/b", "password", new Secret("pw", "test"),
                        "knownHosts", "/nonexistent/known_hosts")),
                Arguments.of("gcs", Options.of("bucket", "b", "credentials", new Secret("{ \"type\": \"service_account\" }", "test"))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("destinations")
    void a_destination_is_refused_by_create_with_the_first_problem_check_reports(String kind, Options options) {
        DestinationSpec spec = new DestinationSpec(kind, "n", 1, options);
        var problems = DestinationKinds.find(kind).orElseThrow().problems(spec);

        assertThat(problems).isNotEmpty();
        assertThatThrownBy(() -> DestinationKinds.find(kind).orElseThrow().create(spec))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(kind + " 'n': " + problems.get(0));
    }

    static Stream<Arguments> sources() {
        return Stream.of(
                Arguments.of("postgres", Options.of("database", "app", "schemaOnly", true, "dataOnly", true)),
                Arguments.of("postgres", Options.of("database", "app", "continuous", true, "tables", List.of("a"))),
                Arguments.of("mysql", Options.of("database", "shop", "socket", "/run/mysqld/mysqld.sock", "host", "db")),
                Arguments.of("redis", Options.of("port", 0)),
                Arguments.of("mongo", Options.of("database", "game", "uri", "localhost:27017")),
                Arguments.of("command", Options.of("run", List.of(""))),
                Arguments.of("files", Options.of("path", "/srv", "include", List.of("a/[b"))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sources")
    void a_source_is_refused_by_create_with_the_first_problem_check_reports(String kind, Options options) {
        SourceSpec spec = new SourceSpec(kind, "n", 1, options);
        var problems = SourceKinds.find(kind).orElseThrow().problems(spec);

        assertThat(problems).isNotEmpty();
        assertThatThrownBy(() -> SourceKinds.find(kind).orElseThrow().create(spec))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(kind + " 'n': " + problems.get(0));
    }
}
