package dev.caravan.destination.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.caravan.model.Secret;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Builds the Storage client of a gcs destination from its project and credentials options. */
final class GcsClients {
    private GcsClients() {
    }

    static Storage storage(String name, Optional<String> project, Optional<Secret> credentials) {
        StorageOptions.Builder b = StorageOptions.newBuilder();
        project.ifPresent(b::setProjectId);
        credentials.ifPresent(c -> b.setCredentials(credentials(name, c)));
        return b.build().getService();
    }

    /** The credentials option holds either the service-account JSON itself or the path of its file. */
    static GoogleCredentials credentials(String name, Secret secret) {
        try {
            return read(secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gcs '" + name + "': " + e.getMessage(), e.getCause());
        }
    }

    /** What is wrong with the credentials option, or empty: the same reading {@link #storage} does, no network. */
    static Optional<String> problem(Secret secret) {
        try {
            read(secret);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static GoogleCredentials read(Secret secret) {
        String value = secret.reveal().strip();
        try (InputStream in = value.startsWith("{")
                ? new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8))
                : Files.newInputStream(Path.of(value))) {
            return GoogleCredentials.fromStream(in);
        } catch (IOException | RuntimeException e) {
            String what = value.startsWith("{") ? "the service-account JSON in credentials " + secret.origin()
                    : "the credentials file named by " + secret.origin();
            throw new IllegalArgumentException("cannot read " + what + ": "
                    + (e instanceof NoSuchFileException ? e.getMessage() + ": no such file"
                    : e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage()), e);
        }
    }
}
