package dev.caravan.io;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one sentence a failure becomes: the subject once, then the root cause, never a wrapper's words. */
class FailuresTest {

    @Test
    void a_full_disk_under_the_file_component_says_no_space_left() {
        IOException disk = new IOException("No space left on device");
        var store = new GenericFileOperationFailedException("Cannot store file: /mnt/nas/app/1/.partial-tree.tar.zst", disk);
        assertThat(Failures.sentence("local 'nas'", new CamelExecutionException("Exception occurred during execution on the exchange", null, store)))
                .isEqualTo("local 'nas': Cannot store file: /mnt/nas/app/1/.partial-tree.tar.zst: No space left on device");
    }

    @Test
    void camel_wrappers_never_are_the_message() {
        Exception root = new IllegalStateException("bucket 'b' does not exist");
        Exception wrapped = new CamelExecutionException("Exception occurred during execution on the exchange: Exchange[]", null,
                new FailedToCreateRouteException("caravan-app-to-s3", "routes", "Route(caravan-app-to-s3)", root));
        assertThat(Failures.rootCause(wrapped)).isEqualTo("bucket 'b' does not exist");
        assertThat(Failures.rootCause(new CamelExecutionException("Exception occurred during execution on the exchange: Exchange[]", null)))
                .doesNotContain("Exception occurred").isEqualTo("camel execution");
    }

    @Test
    void a_refused_connection_names_the_host_and_port() {
        Exception sdk = new RuntimeException("Unable to execute HTTP request: Connect to 127.0.0.1:9000 [/127.0.0.1] failed: Connection refused",
                new ConnectException("Connection refused"));
        assertThat(Failures.sentence("s3 'offsite'", new FailedToCreateRouteException("r", "routes", "Route(r)", sdk)))
                .isEqualTo("s3 'offsite': cannot connect to 127.0.0.1:9000 (connection refused)");
        assertThat(Failures.sentence("azure 'blob'", new RuntimeException(new ConnectException("Connection refused: /127.0.0.1:10000"))))
                .isEqualTo("azure 'blob': cannot connect to 127.0.0.1:10000 (connection refused)");
        assertThat(Failures.network(new ConnectException("Connection refused"), "nas.example:22"))
                .isEqualTo("cannot connect to nas.example:22 (connection refused)");
    }

    @Test
    void the_subject_is_said_once() {
        Exception dump = new IOException("postgres 'appdb': pg_dump failed (exit 1): connection to server failed");
        assertThat(Failures.sentence("postgres 'appdb'", dump))
                .isEqualTo("postgres 'appdb': pg_dump failed (exit 1): connection to server failed");
        assertThat(Failures.about("postgres 'appdb'", "postgres 'appdb': postgres 'appdb': pg_dump failed"))
                .isEqualTo("postgres 'appdb': pg_dump failed");
    }

    @Test
    void a_message_that_only_repeats_its_cause_is_skipped_and_class_names_are_dropped() {
        NoSuchFileException missing = new NoSuchFileException("/data/app.db");
        assertThat(Failures.rootCause(new UncheckedIOException(missing))).isEqualTo("no such file /data/app.db");
        assertThat(Failures.rootCause(new ExecutionException(new RuntimeException("java.io.IOException: broken pipe"))))
                .isEqualTo("broken pipe");
        assertThat(Failures.rootCause(new IllegalStateException())).isEqualTo("illegal state");
    }
}
