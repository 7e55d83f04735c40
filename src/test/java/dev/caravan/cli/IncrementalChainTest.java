package dev.caravan.cli;

import dev.caravan.backup.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental chains through the command line: seeded random histories of file changes (add,
 * modify, delete, rename, empty dirs, symlinks, type changes, chmod, big files that grow) restore exactly at every
 * point of every chain, verify covers the chain, and retention keeps what kept backups need.
 */
class IncrementalChainTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;
    Path source;
    Path nas;
    Path identity;
    String recipient;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        source = Files.createDirectories(tmp.resolve("data"));
        nas = tmp.resolve("nas");
        identity = tmp.resolve("key.txt");
        Process keygen = new ProcessBuilder("age-keygen", "-o", identity.toString()).redirectErrorStream(true).start();
        String keygenOut = new String(keygen.getInputStream().readAllBytes());
        assertThat(keygen.waitFor()).as("age-keygen: " + keygenOut).isZero();
        recipient = Files.readAllLines(identity).stream().filter(l -> l.startsWith("# public key: "))
                .findFirst().orElseThrow().substring("# public key: ".length());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(String incremental, String retention) throws IOException {
        Path p = tmp.resolve("plan.groovy");
        Files.writeString(p, """
                backup('docs') {
                    sources { files('tree') { path '%s' } }
                    compress 'zstd', level: 1
                    encrypt age: '%s'
                    destinations { local('nas') { path '%s' } }
                    incremental { %s }
                    %s
                }
                """.formatted(source, recipient, nas, incremental, retention));
        return p;
    }

    @Test
    void random_histories_restore_exactly_at_every_point_of_every_chain() throws Exception {
        Path plan = plan("fullEvery 5", "");
        Random random = new Random(20251023L);
        Map<String, Map<String, String>> snapshots = new LinkedHashMap<>();
        for (int step = 0; step < 13; step++) {
            int changes = step == 0 ? 25 : 1 + random.nextInt(8);
            for (int c = 0; c < changes; c++) {
                mutate(random);
            }
            growBigFiles(random, step);
            CliRunner.Result now = CliRunner.run("now", plan.toString());
            assertThat(now.exit()).as(now.toString()).isZero();
            snapshots.put(newestId(), describe(source));
        }
        List<String> types = new ArrayList<>();
        for (String id : snapshots.keySet()) {
            Manifest m = manifest(id);
            types.add(m.type());
            if (m.incremental()) {
                assertThat(m.parent()).isNotNull();
                assertThat(manifest(m.chain()).type()).isEqualTo("full");
            }
            assertThat(nas.resolve("docs/" + id + "/tree.index.jsonl.zst.age")).isRegularFile();
        }
        assertThat(types).containsExactly("full", "incremental", "incremental", "incremental", "incremental",
                "full", "incremental", "incremental", "incremental", "incremental", "full", "incremental", "incremental");

        for (Map.Entry<String, Map<String, String>> s : snapshots.entrySet()) {
            Path to = tmp.resolve("restored-" + s.getKey());
            CliRunner.Result restore = CliRunner.run("restore", plan.toString(), s.getKey(), "--to", to.toString(),
                    "--identity", identity.toString());
            assertThat(restore.exit()).as(restore.toString()).isZero();
            assertThat(describe(to)).as("tree restored from " + s.getKey()).isEqualTo(s.getValue());
        }
        CliRunner.Result verify = CliRunner.run("verify", plan.toString(), "latest", "--deep", "--identity", identity.toString());
        assertThat(verify.exit()).as(verify.toString()).isZero();
        // the latest is the third of its chain: the chain's full and its first incremental are verified with it
        List<String> ids = new ArrayList<>(snapshots.keySet());
        assertThat(verify.out()).contains(ids.get(10)).contains(ids.get(11)).contains(ids.get(12)).doesNotContain(ids.get(9));
    }

    @Test
    void an_unchanged_tree_makes_an_incremental_without_file_contents() throws Exception {
        Path plan = plan("full '@weekly'", "");
        byte[] big = new byte[2_000_000];
        new Random(1).nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        String full = newestId();
        Files.writeString(source.resolve("small.txt"), "new\n");
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        Manifest inc = manifest(newestId());
        assertThat(inc.type()).isEqualTo("incremental");
        assertThat(inc.parent()).isEqualTo(full);
        assertThat(inc.objects().get(0).dumpBytes()).isLessThan(20_480); // a tar block or two, not the 2 MB file
        assertThat(manifest(full).objects().get(0).dumpBytes()).isGreaterThan(2_000_000);
    }

    @Test
    void the_stock_tool_recipe_in_the_docs_rebuilds_a_chain_with_grown_files() throws Exception {
        Path plan = plan("fullEvery 10", "");
        Random r = new Random(3);
        write(source.resolve("app.log"), r, 1_500_000);
        write(source.resolve("table.dump"), r, 1_200_000);
        write(Files.createDirectories(source.resolve("d")).resolve("gone.txt"), r, 100);
        write(source.resolve("d/kept.txt"), r, 100);
        List<String> ids = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            if (step > 0) {
                Files.write(source.resolve("app.log"), ("line " + step + "\n").repeat(200).getBytes(), java.nio.file.StandardOpenOption.APPEND);
                write(source.resolve("d/new-" + step + ".txt"), r, 300);
                write(source.resolve("d/kept.txt"), r, 120);
            }
            if (step == 1) {
                Files.delete(source.resolve("d/gone.txt"));
            }
            if (step == 2) {
                write(source.resolve("table.dump"), r, 1_300_000); // longer, but its old bytes changed: whole
            }
            CliRunner.Result now = CliRunner.run("now", plan.toString());
            assertThat(now.exit()).as(now.toString()).isZero();
            ids.add(newestId());
        }
        assertThat(manifest(ids.get(1)).objects().get(0).dumpBytes()).isLessThan(20_480); // app.log's new lines, not 1.5 MB
        assertThat(manifest(ids.get(2)).objects().get(0).dumpBytes()).isGreaterThan(1_300_000);

        String doc = Files.readString(Path.of("docs/incremental.md"));
        String recipe = doc.substring(doc.indexOf("```sh", doc.indexOf("## Rebuilding a chain with stock tools")) + 5);
        recipe = recipe.substring(0, recipe.indexOf("```"));
        Path to = tmp.resolve("stock");
        String settings = "KEY='%s'; SRC=tree; TO='%s'; CHAIN='%s'".formatted(identity, to, String.join(" ", ids));
        recipe = recipe.replaceFirst("(?m)^KEY=.*$", java.util.regex.Matcher.quoteReplacement(settings));
        Process sh = new ProcessBuilder("bash", "-c", recipe).directory(nas.resolve("docs").toFile()).redirectErrorStream(true).start();
        String shOut = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor()).as("the recipe said: " + shOut).isZero();
        assertThat(describe(to)).isEqualTo(describe(source));
    }

    @Test
    void without_the_local_chain_state_the_next_run_is_a_full() throws Exception {
        Path plan = plan("fullEvery 10", "");
        Files.writeString(source.resolve("a.txt"), "a\n");
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        deleteTree(tmp.resolve("state/incremental"));
        Files.writeString(source.resolve("b.txt"), "b\n");
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        assertThat(manifest(newestId()).type()).isEqualTo("full");
    }

    @Test
    void retention_keeps_every_backup_a_kept_incremental_needs() throws Exception {
        Path plan = plan("fullEvery 3", "retention { keepLast 1 }");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Files.writeString(source.resolve("f" + i + ".txt"), "v" + i + "\n");
            CliRunner.Result now = CliRunner.run("now", plan.toString());
            assertThat(now.exit()).as(now.toString()).isZero();
            ids.add(newestId());
        }
        assertThat(ids).allSatisfy(id -> assertThat(nas.resolve("docs/" + id + "/manifest.json")).isRegularFile());
        CliRunner.Result dry = CliRunner.run("prune", plan.toString(), "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains(ids.get(1) + "  needed by " + ids.get(2)).contains(ids.get(0) + "  needed by " + ids.get(2));

        Files.writeString(source.resolve("f3.txt"), "v3\n");
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        String newFull = newestId();
        assertThat(manifest(newFull).type()).isEqualTo("full");
        assertThat(ids).allSatisfy(id -> assertThat(nas.resolve("docs/" + id)).doesNotExist());
        Path to = tmp.resolve("restored");
        CliRunner.Result restore = CliRunner.run("restore", plan.toString(), "latest", "--to", to.toString(), "--identity", identity.toString());
        assertThat(restore.exit()).as(restore.toString()).isZero();
        assertThat(describe(to)).isEqualTo(describe(source));
    }

    /**
     * Two files of over 1 MiB (made at step 0; {@link #mutate} leaves them alone): each step, each
     * may get bytes appended (stored as an append), and now and then a byte of its start rewritten too
     * (stored whole).
     */
    private void growBigFiles(Random r, int step) throws IOException {
        for (String name : List.of("big-a.log", "big-b.bin")) {
            Path big = source.resolve(name);
            if (step == 0) {
                write(big, r, 1_100_000 + r.nextInt(100_000));
            } else if (Files.isRegularFile(big, NOFOLLOW) && r.nextBoolean()) {
                byte[] more = new byte[1 + r.nextInt(4000)];
                r.nextBytes(more);
                if (r.nextInt(4) == 0) {
                    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
                        f.seek(r.nextInt((int) f.length()));
                        f.write(r.nextInt(256));
                    }
                }
                Files.write(big, more, java.nio.file.StandardOpenOption.APPEND);
            }
        }
    }

    /** One random change: add, modify (same size or not), delete, rename, mkdir, rmdir, symlink, chmod, type change. */
    private void mutate(Random r) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(source)) {
            walk.filter(p -> !p.equals(source) && !p.getFileName().toString().startsWith("big-"))
                    .forEach(p -> (Files.isDirectory(p, NOFOLLOW) ? dirs : files).add(p));
        }
        Path dir = dirs.isEmpty() || r.nextInt(3) == 0 ? source : dirs.get(r.nextInt(dirs.size()));
        String fresh = "n" + Long.toHexString(r.nextLong() & 0xffffff);
        int op = files.isEmpty() ? 0 : r.nextInt(10);
        Path victim = files.isEmpty() ? null : files.get(r.nextInt(files.size()));
        switch (op) {
            case 0 -> write(dir.resolve(fresh + ".txt"), r, r.nextInt(3000));
            case 1 -> {
                if (Files.isSymbolicLink(victim)) {
                    Files.delete(victim);
                    Files.createSymbolicLink(victim, Path.of("elsewhere-" + fresh));
                } else {
                    write(victim, r, (int) Files.size(victim)); // same size: only times and inode-change time differ
                }
            }
            case 2 -> write(victim, r, r.nextInt(5000));
            case 3 -> Files.delete(victim);
            case 4 -> Files.move(victim, dir.resolve(fresh + "-renamed"));
            case 5 -> Files.createDirectories(dir.resolve(fresh).resolve("empty"));
            case 6 -> Files.createSymbolicLink(dir.resolve(fresh + ".lnk"), Path.of("target-" + fresh));
            case 7 -> {
                if (!Files.isSymbolicLink(victim)) {
                    Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString(r.nextBoolean() ? "rw-------" : "rwxr-xr-x"));
                }
            }
            case 8 -> {
                Files.delete(victim);
                write(Files.createDirectories(victim).resolve("was-a-file"), r, 10);
            }
            default -> {
                if (!dirs.isEmpty()) {
                    Path d = dirs.get(r.nextInt(dirs.size()));
                    deleteTree(d);
                    if (r.nextBoolean()) {
                        write(d, r, 100); // a directory becomes a file
                    }
                }
            }
        }
    }

    private static void write(Path file, Random r, int size) throws IOException {
        byte[] b = new byte[size];
        r.nextBytes(b);
        Files.write(file, b);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, NOFOLLOW)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** rel path -> type, permissions, mtime (seconds), content hash or link target; the root itself left out. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(x -> !x.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    tree.put(rel, "link -> " + Files.readSymbolicLink(p));
                    continue;
                }
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, NOFOLLOW));
                long mtime = Files.getLastModifiedTime(p, NOFOLLOW).toMillis() / 1000;
                tree.put(rel, (Files.isDirectory(p) ? "dir " : "file " + sha256(p) + " ") + perms + " " + mtime);
            }
        }
        return tree;
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String newestId() throws IOException {
        try (Stream<Path> s = Files.list(nas.resolve("docs"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{8}T\\d{6}Z")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    private Manifest manifest(String id) throws IOException {
        try (InputStream in = Files.newInputStream(nas.resolve("docs/" + id + "/manifest.json"))) {
            return Manifest.read(in);
        }
    }
}
