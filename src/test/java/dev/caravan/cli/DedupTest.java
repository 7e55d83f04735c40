package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.backup.Pruner;
import dev.caravan.destination.Destination;
import dev.caravan.destination.local.LocalDestination;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Plan;
import dev.caravan.model.Retention;
import dev.caravan.testing.StockTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dedup true} end to end through the command line, on two local destinations: a files tree is
 * cut into chunks stored once per destination, a second run stores only the chunks that changed, the
 * restore recipe of docs/dedup.md works with stock age, zstd, jq and tar, and the fault cases: a
 * missing chunk, a flipped chunk (verify names backup and chunk; restore reads the other destination's
 * copy), and a prune that dies at any point (never removes a needed chunk; the next one collects).
 */
class DedupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path source;
    Path nas;
    Path usb;
    Path identity;
    String recipient;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        source = tmp.resolve("data");
        Files.createDirectories(source.resolve("sub"));
        byte[] random = new byte[3_000_000];
        new Random(11).nextBytes(random);
        Files.write(source.resolve("sub/blob.bin"), random);
        Files.writeString(source.resolve("a.txt"), "alpha\n".repeat(1000));
        nas = tmp.resolve("nas");
        usb = tmp.resolve("usb");
        identity = tmp.resolve("key.txt");
        StockTools.run(List.of("age-keygen", "-o", identity.toString()), null, null);
        recipient = StockTools.run(List.of("age-keygen", "-y", identity.toString()), null, null).strip();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(int keepLast) throws IOException {
        Path p = tmp.resolve("plan.groovy");
        Files.writeString(p, """
                backup('docs') {
                    sources { files('tree') { path '%s' } }
                    compress 'zstd', level: 3
                    encrypt age: '%s'
                    dedup true
                    destinations {
                        local('nas') { path '%s' }
                        local('usb') { path '%s' }
                    }
                    retention { keepLast %d }
                }
                """.formatted(source, recipient, nas, usb, keepLast));
        return p;
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static List<String> ids(Path dest) throws IOException {
        try (Stream<Path> s = Files.list(dest.resolve("docs"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("chunks")).sorted().toList();
        }
    }

    private static JsonNode manifest(Path dest, String id) throws IOException {
        return JSON.readTree(dest.resolve("docs/" + id + "/manifest.json").toFile());
    }

    private static List<String> chunksOf(JsonNode manifest) {
        List<String> out = new ArrayList<>();
        manifest.get("objects").get(0).get("chunks").forEach(c -> out.add(c.asText()));
        return out;
    }

    private static Set<String> chunkFiles(Path dest) throws IOException {
        try (Stream<Path> s = Files.list(dest.resolve("docs/chunks"))) {
            Set<String> names = new HashSet<>();
            s.forEach(p -> names.add(p.getFileName().toString()));
            return names;
        }
    }

    /** Changes 100 bytes in the middle of the big file: one or two chunks change. */
    private void changeALittle(int seed) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(source.resolve("sub/blob.bin").toFile(), "rw")) {
            f.seek(1_500_000 + seed * 1000L);
            byte[] b = new byte[100];
            new Random(seed).nextBytes(b);
            f.write(b);
        }
    }

    private String describe(Path root) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                b.append(root.relativize(p)).append(Files.isRegularFile(p)
                        ? " " + dev.caravan.io.Sha256.of(Files.newInputStream(p)).sha256() : "").append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void a_second_backup_stores_only_the_changed_chunks_and_both_restore() throws Exception {
        Path plan = plan(5);
        ok("now", plan.toString());
        String first = ids(nas).get(0);
        JsonNode m1 = manifest(nas, first);
        List<String> c1 = chunksOf(m1);
        assertThat(c1).hasSizeGreaterThan(2);
        assertThat(c1).allMatch(c -> c.matches("[0-9a-f]{64}\\.zst\\.age"));
        assertThat(m1.get("chunkKey").asText()).isNotBlank();
        // the backup's folder holds only the manifest: the object is its chunk list
        try (Stream<Path> s = Files.list(nas.resolve("docs/" + first))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("manifest.json", "report.json");
        }
        assertThat(chunkFiles(nas)).containsAll(c1).isEqualTo(chunkFiles(usb));
        // an encrypted plan's chunk names are keyed: not the plain SHA-256 of any chunk
        String before = describe(source);

        changeALittle(1);
        ok("now", plan.toString());
        String second = ids(nas).get(1);
        JsonNode m2 = manifest(nas, second);
        List<String> c2 = chunksOf(m2);
        List<String> added = c2.stream().filter(c -> !c1.contains(c)).toList();
        assertThat(added).hasSizeBetween(1, 2);
        long logical = m2.get("objects").get(0).get("dumpBytes").asLong();
        long newBytes = m2.get("objects").get(0).get("newBytes").asLong();
        assertThat(newBytes).isPositive().isLessThan(logical / 2);

        CliRunner.Result list = ok("list", plan.toString());
        assertThat(list.out()).contains(second).contains("dedup");
        CliRunner.Result info = ok("info", plan.toString(), "latest");
        assertThat(info.out()).contains("logical").contains("chunks");

        CliRunner.Result status = CliRunner.run("status", plan.toString());
        assertThat(status.out()).as(status.toString()).containsPattern("nas .* dedup [0-9.]+x \\(logical ");

        Path latest = tmp.resolve("latest");
        ok("restore", plan.toString(), "latest", "--to", latest.toString(), "--identity", identity.toString());
        assertThat(describe(latest)).isEqualTo(describe(source));
        Path old = tmp.resolve("old");
        ok("restore", plan.toString(), first, "--to", old.toString(), "--identity", identity.toString());
        assertThat(describe(old)).isEqualTo(before);
    }

    @Test
    void the_stock_tool_recipe_of_the_docs_restores_with_age_zstd_jq_and_tar() throws Exception {
        ok("now", plan(5).toString());
        String id = ids(nas).get(0);
        String recipe = docRecipe();
        Path out = Files.createDirectories(tmp.resolve("stock"));
        StockTools.run(List.of("bash", "-o", "pipefail", "-c", recipe), null, null, Map.of(
                "PLAN_DIR", nas.resolve("docs").toString(), "ID", id, "SOURCE", "tree",
                "KEY", identity.toString(), "OUT", out.toString()));
        assertThat(describe(out)).isEqualTo(describe(source));

        // an encrypted plan's chunk name is keyed: not the SHA-256 of the chunk's plain bytes
        String chunk = chunksOf(manifest(nas, id)).get(0);
        String plainSha = StockTools.shell("age -d -i '" + identity + "' '" + nas.resolve("docs/chunks/" + chunk)
                + "' | zstd -d | sha256sum").split(" ")[0];
        assertThat(plainSha).hasSize(64);
        assertThat(chunk).doesNotStartWith(plainSha);
    }

    /** The shell block that docs/dedup.md marks as the one this test runs. */
    static String docRecipe() throws IOException {
        String doc = Files.readString(Path.of("docs/dedup.md"));
        Matcher m = Pattern.compile("<!-- DedupTest runs this block -->\\s*```sh\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("docs/dedup.md marks its stock-tool recipe for DedupTest").isTrue();
        return m.group(1);
    }

    @Test
    void a_missing_chunk_fails_verify_naming_backup_and_chunk_and_restore_takes_the_other_copy() throws Exception {
        Path plan = plan(5);
        ok("now", plan.toString());
        String id = ids(nas).get(0);
        String gone = chunksOf(manifest(nas, id)).get(1);
        Files.delete(nas.resolve("docs/chunks/" + gone));

        CliRunner.Result verify = CliRunner.run("verify", plan.toString(), "latest");
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).contains("FAILED").contains("nas").contains(id).contains(gone).contains("missing");

        Path out = tmp.resolve("out");
        CliRunner.Result restore = ok("restore", plan.toString(), "latest", "--to", out.toString(), "--identity", identity.toString());
        assertThat(restore.err()).contains("skipping nas").contains(gone);
        assertThat(restore.out()).contains("from usb");
        assertThat(describe(out)).isEqualTo(describe(source));
    }

    @Test
    void a_flipped_chunk_fails_deep_verify_naming_it_and_restore_reads_that_chunk_from_the_other_destination() throws Exception {
        Path plan = plan(5);
        ok("now", plan.toString());
        String id = ids(nas).get(0);
        String bad = chunksOf(manifest(nas, id)).get(1);
        try (RandomAccessFile f = new RandomAccessFile(nas.resolve("docs/chunks/" + bad).toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        ok("verify", plan.toString(), "latest"); // the chunk is there: only reading it finds the flip

        CliRunner.Result deep = CliRunner.run("verify", plan.toString(), "latest", "--deep", "--identity", identity.toString());
        assertThat(deep.exit()).as(deep.toString()).isEqualTo(1);
        assertThat(deep.out()).contains("FAILED").contains("backup " + id).contains("chunk " + bad).contains("damaged at nas");
        assertThat(deep.out()).containsPattern("OK +docs " + id + " usb");

        Path out = tmp.resolve("out");
        CliRunner.Result restore = ok("restore", plan.toString(), "latest", "--to", out.toString(), "--identity", identity.toString());
        assertThat(restore.out()).contains("from nas");
        assertThat(describe(out)).isEqualTo(describe(source));
    }

    @Test
    void replicate_copies_the_chunks_a_destination_lacks_then_the_manifest() throws Exception {
        Path plan = plan(5);
        ok("now", plan.toString());
        changeALittle(1);
        ok("now", plan.toString());
        deleteTree(usb);

        CliRunner.Result replicate = ok("replicate", plan.toString());
        assertThat(replicate.out()).contains("usb");
        assertThat(ids(usb)).isEqualTo(ids(nas));
        assertThat(chunkFiles(usb)).isEqualTo(chunkFiles(nas));
        Path out = tmp.resolve("out");
        ok("restore", plan.toString(), "latest", "--from", "usb", "--to", out.toString(), "--identity", identity.toString());
        assertThat(describe(out)).isEqualTo(describe(source));
        ok("verify", plan.toString(), "all", "--deep", "--identity", identity.toString());
    }

    @Test
    void prune_removes_only_chunks_no_kept_backup_needs() throws Exception {
        Path plan = plan(2);
        ok("now", plan.toString());
        String first = ids(nas).get(0);
        List<String> c1 = chunksOf(manifest(nas, first));
        changeALittle(1);
        ok("now", plan.toString());
        changeALittle(2);
        CliRunner.Result third = ok("now", plan.toString());
        assertThat(third.out()).contains("removed").contains("unreferenced chunk");

        List<String> kept = ids(nas);
        assertThat(kept).hasSize(2).doesNotContain(first);
        Set<String> needed = new HashSet<>();
        for (String id : kept) {
            needed.addAll(chunksOf(manifest(nas, id)));
        }
        assertThat(chunkFiles(nas)).isEqualTo(needed).isEqualTo(chunkFiles(usb));
        assertThat(c1.stream().filter(c -> !needed.contains(c))).isNotEmpty();
        Path out = tmp.resolve("out");
        ok("restore", plan.toString(), kept.get(0), "--to", out.toString(), "--identity", identity.toString(), "--from", "usb");
    }

    /**
     * A prune that dies after any number of deletes (a destination that fails from then on stands for
     * the process being killed there) leaves every chunk a kept backup needs, and the next prune
     * collects what it left.
     */
    @Test
    void a_prune_killed_after_any_delete_never_loses_a_needed_chunk_and_the_next_collects_the_rest() throws Exception {
        Path planFile = plan(3);
        ok("now", planFile.toString());
        changeALittle(1);
        ok("now", planFile.toString());
        changeALittle(2);
        ok("now", planFile.toString());
        Plan loaded = PlanLoader.load(planFile, System::getenv).plans().get(0);
        Plan keepOne = new Plan(loaded.name(), loaded.line(), loaded.schedule(), loaded.timezone(), loaded.sources(),
                loaded.compression(), loaded.encryption(), loaded.destinations(), new Retention(1, 0, 0, 0, 0, 0, null, null, Map.of()),
                loaded.verify(), loaded.alerts(), loaded.incremental(), loaded.drill(), true);
        Path pristine = tmp.resolve("pristine");
        copyTree(nas, pristine);
        String newest = ids(nas).get(2);
        Set<String> needed = new HashSet<>(chunksOf(manifest(nas, newest)));
        int deletesOfAFullPrune = Integer.MAX_VALUE;
        for (int k = 0; k < deletesOfAFullPrune; k++) {
            deleteTree(nas);
            copyTree(pristine, nas);
            DyingDestination dying = new DyingDestination(new LocalDestination("nas", nas), k);
            new Pruner(keepOne, Map.of("nas", dying)).prune(false, null);
            if (!dying.died) {
                deletesOfAFullPrune = k;
            }
            assertThat(chunkFiles(nas)).as("after %d deletes", k).containsAll(needed);
            assertThat(ids(nas)).as("after %d deletes", k).contains(newest);
            Pruner.Report later = new Pruner(keepOne, Map.of("nas", new LocalDestination("nas", nas))).prune(false, null);
            assertThat(later.ok()).as(later.toString()).isTrue();
            assertThat(chunkFiles(nas)).as("after %d deletes and a second prune", k).isEqualTo(needed);
            assertThat(ids(nas)).containsExactly(newest);
        }
        assertThat(deletesOfAFullPrune).as("the prune deletes manifests, objects and chunks").isGreaterThan(3);
    }

    /** Fails every delete after the first {@code allowed}: a prune process killed at that point. */
    private static final class DyingDestination implements Destination {
        private final Destination d;
        private int allowed;
        boolean died;

        DyingDestination(Destination d, int allowed) {
            this.d = d;
            this.allowed = allowed;
        }

        @Override
        public void delete(String key) throws IOException {
            if (allowed-- <= 0) {
                died = true;
                throw new IOException("killed");
            }
            d.delete(key);
        }

        @Override
        public String name() {
            return d.name();
        }

        @Override
        public String describe() {
            return d.describe();
        }

        @Override
        public String routeTemplate() {
            return d.routeTemplate();
        }

        @Override
        public Map<String, Object> templateParameters() {
            return new LinkedHashMap<>(d.templateParameters());
        }

        @Override
        public InputStream open(String key) throws IOException {
            return d.open(key);
        }

        @Override
        public List<StoredObject> list(String prefix) throws IOException {
            if (died) {
                throw new IOException("killed");
            }
            return d.list(prefix);
        }

        @Override
        public List<StoredObject> listPartial(String prefix) throws IOException {
            return d.listPartial(prefix);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
