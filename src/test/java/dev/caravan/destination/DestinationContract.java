package dev.caravan.destination;

import dev.caravan.pipeline.Publisher;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every destination must do. A destination's own test extends this and says how to make one
 * (against a real server on loopback) in a few lines.
 */
public abstract class DestinationContract {
    protected CamelContext camel;
    protected Publisher publisher;
    @TempDir
    protected Path scratch;

    /** A destination on a fresh, empty root/prefix. */
    protected abstract Destination newDestination() throws Exception;

    /**
     * Leaves at {@code d} what a write of {@code key} that died midway leaves with this kind (a temporary
     * file, an incomplete multipart upload, staged blocks), through the server; false for a kind whose
     * interrupted writes leave nothing a client can list.
     */
    protected boolean leavePartialWrite(Destination d, String key) throws Exception {
        return false;
    }

    @Test
    void what_an_interrupted_write_left_is_listed_only_as_partial_and_removed() throws Exception {
        Destination d = newDestination();
        publisher.save(publisher.register("p", d), "p/20200101T000000Z/done.bin", randomFile("done.bin", 1000, 21));
        if (!leavePartialWrite(d, "p/20200101T000000Z/half.bin")) {
            assertThat(d.listPartial("p/")).isEmpty();
            return;
        }
        assertThat(d.list("p/")).extracting(Destination.StoredObject::key).containsExactly("p/20200101T000000Z/done.bin");
        java.util.List<Destination.StoredObject> partial = d.listPartial("p/");
        assertThat(partial).singleElement().extracting(Destination.StoredObject::key).asString()
                .startsWith("p/20200101T000000Z/").endsWith("half.bin");
        assertThat(d.listPartial("q/")).isEmpty();

        d.deletePartial(partial.get(0).key());
        assertThat(d.listPartial("p/")).isEmpty();
        assertThat(d.list("p/")).extracting(Destination.StoredObject::key).containsExactly("p/20200101T000000Z/done.bin");
        d.deletePartial(partial.get(0).key()); // already gone: not an error
    }

    /**
     * The pipeline deletes each spool file once it is published; a destination that still holds it open
     * keeps its disk space taken and a file handle per object, in the long-running service until a GC
     * happens to run the stream's cleaner. Counted in /proc/self/fd without calling the GC.
     */
    @Test
    void publishing_keeps_no_handle_on_the_spool_files() throws Exception {
        Destination d = newDestination();
        String route = publisher.register("p", d);
        java.util.List<Path> spools = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = randomFile("spool-" + i + ".bin", 64 * 1024 + i, 30 + i);
            publisher.save(route, "p/1/spool-" + i + ".bin", f);
            Files.delete(f);
            spools.add(f.toAbsolutePath());
        }
        assertThat(openDescriptorsOf(spools)).as("descriptors of this JVM on the published, deleted spool files").isEmpty();
    }

    /** This JVM's open file descriptors (from /proc/self/fd) that point at one of {@code files}, deleted or not. */
    protected static java.util.List<String> openDescriptorsOf(java.util.Collection<Path> files) throws IOException {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (Path f : files) {
            wanted.add(f.toString());
            wanted.add(f + " (deleted)");
        }
        java.util.List<String> open = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (wanted.contains(target)) {
                        open.add(fd.getFileName() + " -> " + target);
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // the descriptor was closed (e.g. the one listing the directory) while listing
                }
            }
        }
        return open;
    }

    @BeforeEach
    void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
        publisher = new Publisher(camel);
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    protected Path randomFile(String name, int size, long seed) throws IOException {
        Path f = scratch.resolve(name);
        byte[] buf = new byte[8192];
        Random r = new Random(seed);
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int left = size; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, Math.min(left, buf.length));
            }
        }
        return f;
    }

    protected static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream d = new DigestInputStream(in, md)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * For a kind's own test: a destination whose credentials the server refuses fails to publish and
     * to list with exactly {@code sentence}: one line that names the destination and what to check.
     */
    protected void assertRefusedWith(Destination wrong, String sentence) throws Exception {
        String route = publisher.register("p", wrong);
        Path f = randomFile("refused.bin", 100, 9);
        assertThatThrownBy(() -> publisher.save(route, "p/1/refused.bin", f))
                .isInstanceOf(IOException.class)
                .hasMessage(sentence);
        assertThatThrownBy(() -> wrong.list("p/"))
                .isInstanceOf(IOException.class)
                .hasMessage(sentence);
    }

    @Test
    void saved_object_is_listed_with_its_size_and_reads_back_identical() throws Exception {
        Destination d = newDestination();
        String route = publisher.register("p", d);
        Path f = randomFile("a.bin", 3 * 1024 * 1024 + 17, 1);
        publisher.save(route, "p/20250101T000000Z/a.tar.zst", f);

        assertThat(d.list("p/")).containsExactly(new Destination.StoredObject("p/20250101T000000Z/a.tar.zst", Files.size(f)));
        try (InputStream in = d.open("p/20250101T000000Z/a.tar.zst")) {
            assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(f)));
        }
    }

    @Test
    void verify_after_upload_accepts_the_copy_of_the_file_and_refuses_it_for_a_file_one_byte_off() throws Exception {
        Destination d = newDestination();
        String route = publisher.register("p", d);
        Path f = randomFile("v.bin", 2 * 1024 * 1024 + 5, 3);
        publisher.save(route, "p/20250101T000000Z/v.tar.zst", f);
        Path other = randomFile("w.bin", 2 * 1024 * 1024 + 5, 3);
        byte[] one = new byte[1];
        try (var ch = java.nio.channels.FileChannel.open(other, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            ch.read(java.nio.ByteBuffer.wrap(one), 1000);
            one[0] ^= 0x01;
            ch.write(java.nio.ByteBuffer.wrap(one), 1000);
        }

        assertThat(d.verifyUpload("p/20250101T000000Z/v.tar.zst", f, Files.size(f), sha256(Files.newInputStream(f)))).isEmpty();
        assertThat(d.verifyUpload("p/20250101T000000Z/v.tar.zst", other, Files.size(other), sha256(Files.newInputStream(other))))
                .hasValueSatisfying(p -> assertThat(p).startsWith(d.name() + ": ").contains("p/20250101T000000Z/v.tar.zst").contains("mismatch"));
    }

    @Test
    void listing_is_in_key_order_and_filtered_by_prefix() throws Exception {
        Destination d = newDestination();
        String route = publisher.register("p", d);
        Path f = randomFile("small", 10, 2);
        publisher.save(route, "p/2/b", f);
        publisher.save(route, "p/1/a", f);
        publisher.save(route, "q/1/a", f);

        assertThat(d.list("p/")).extracting(Destination.StoredObject::key).containsExactly("p/1/a", "p/2/b");
        assertThat(d.list("")).hasSize(3);
    }

    @Test
    void saving_again_replaces_the_object() throws Exception {
        Destination d = newDestination();
        String route = publisher.register("p", d);
        publisher.save(route, "p/1/a", randomFile("one", 1000, 3));
        Path second = randomFile("two", 10, 4);
        publisher.save(route, "p/1/a", second);

        try (InputStream in = d.open("p/1/a")) {
            assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(second)));
        }
    }

    @Test
    void deleted_object_is_gone_and_deleting_twice_is_fine() throws Exception {
        Destination d = newDestination();
        String route = publisher.register("p", d);
        publisher.save(route, "p/1/a", randomFile("x", 10, 5));
        d.delete("p/1/a");
        d.delete("p/1/a");

        assertThat(d.list("p/")).isEmpty();
    }

    @Test
    void opening_a_missing_object_names_it() throws Exception {
        Destination d = newDestination();
        assertThatThrownBy(() -> d.open("p/1/missing").close())
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("p/1/missing");
    }

    @Test
    void an_empty_destination_lists_nothing() throws Exception {
        assertThat(newDestination().list("")).isEmpty();
    }
}
