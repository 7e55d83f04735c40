package dev.caravan.destination;

import dev.caravan.io.Failures;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A place that holds backups, made from a {@link dev.caravan.model.DestinationSpec} by its
 * {@link DestinationKind}. Keys are relative ({@code <plan>/<id>/<object>}); the destination adds
 * its own root or prefix.
 *
 * <p>Writes go through Camel: the pipeline sends a spooled file to the route built from
 * {@link #routeTemplate()} with {@link #templateParameters()}, and that route must publish
 * atomically (a temporary name, then a rename or a single commit), so that an object is either
 * absent or whole. Reads, listings and deletes are the methods here and must see what a finished
 * write published (read-after-write).
 */
public interface Destination extends AutoCloseable {

    /** Header carrying the object key ({@code <plan>/<id>/<object>}) on the publishing route. */
    String KEY_HEADER = "CaravanKey";
    /** Header carrying the object's length in bytes on the publishing route. */
    String LENGTH_HEADER = "CaravanLength";

    /** The name from the plan, e.g. {@code nas}. */
    String name();

    /** Where it is, for messages: {@code local /mnt/nas/backups}, {@code s3 s3://bucket/prefix}. No secrets. */
    String describe();

    /** Id of the route template in {@code routes/} that publishes objects, e.g. {@code caravan-destination-local}. */
    String routeTemplate();

    /** Parameters of that template for this destination (besides {@code routeId}, which the pipeline sets). */
    Map<String, Object> templateParameters();

    /**
     * Binds what the route template refers to ({@code #name} beans: SDK clients, the step that names
     * the object, the step that turns a failure into one sentence) into {@code camel}'s registry.
     * Called by the pipeline before the route is added; a destination that needs nothing keeps the default.
     */
    default void bind(CamelContext camel) {
    }

    /**
     * Whether its route may take a run's spooled object by moving the file into place (Camel's
     * {@code CamelFileLocalWorkPath} header) instead of copying it, when it is the run's only
     * destination. Only a destination on this machine's file systems can; the others read the file.
     * Such a destination's {@link #verifyUpload} must not read the spool file (it has moved).
     */
    default boolean takesSpoolByMove() {
        return false;
    }

    /** Opens a stored object. A missing object is a {@link java.nio.file.NoSuchFileException} naming the key. */
    InputStream open(String key) throws IOException;

    /**
     * Checks the copy of {@code key} this run just uploaded from {@code local}, a file of {@code bytes}
     * bytes whose SHA-256 is {@code sha256} (hex): empty when the copy is good, otherwise one sentence
     * naming the destination and the object. The default reads the copy back and compares
     * ({@link ReadBack}); a destination whose service validated the upload against a checksum Caravan
     * computed and keeps it with the object may compare that instead of downloading. Checks of stored
     * backups later ({@code caravan verify}, restore) always read the copy back.
     */
    default Optional<String> verifyUpload(String key, Path local, long bytes, String sha256) {
        return ReadBack.check(this, key, bytes, sha256);
    }

    /**
     * One sentence for a failure of this destination that names it and says the root cause, e.g.
     * {@code s3 'offsite': cannot connect to 127.0.0.1:9000 (connection refused)}. Kinds that know their
     * SDK's errors say more (access denied, what to check); the default is the plain root cause.
     */
    default String sentence(Throwable t) {
        return Failures.sentence(describe(), t);
    }

    /** Objects whose key starts with {@code prefix}, in key order. In-flight temporary objects are not listed. */
    List<StoredObject> list(String prefix) throws IOException;

    /** Removes one object; removing a missing object is not an error. */
    void delete(String key) throws IOException;

    /**
     * What interrupted writes left under {@code prefix}, in key order: temporary files ({@code local},
     * {@code sftp}: {@code <dir>/.partial-<name>}, keyed by that path), incomplete multipart uploads
     * ({@code s3}, keyed by the object they were for). Never listed by {@link #list}, never part of a
     * backup; {@code prune} and a run's retention step remove them with {@link #deletePartial} while
     * they hold the plan's lock, except under the run in flight. The default, for a kind whose
     * interrupted writes leave nothing a client can list, is none.
     */
    default List<StoredObject> listPartial(String prefix) throws IOException {
        return List.of();
    }

    /** Removes one leftover {@link #listPartial} named; removing a missing one is not an error. */
    default void deletePartial(String key) throws IOException {
        delete(key);
    }

    /**
     * Releases what the destination holds (an SDK client and its connection pool). Called when its
     * plan is replaced or removed (the service's hot reload) and when the engine closes; the
     * destination is not used afterwards. The default holds nothing.
     */
    @Override
    default void close() {
    }

    /** An object as listed: its key and its size in bytes. */
    record StoredObject(String key, long size) {
    }
}
