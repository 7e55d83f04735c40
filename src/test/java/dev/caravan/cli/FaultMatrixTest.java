package dev.caravan.cli;

import dev.caravan.testing.AzuriteServer;
import dev.caravan.testing.FaultFixture;
import dev.caravan.testing.SendHooks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.caravan.testing.FaultFixture.ALL;
import static dev.caravan.testing.FaultFixture.AZURE;
import static dev.caravan.testing.FaultFixture.LOCAL;
import static dev.caravan.testing.FaultFixture.S3;
import static dev.caravan.testing.FaultFixture.SFTP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix: real faults (a server stopped, wrong credentials, a full disk, SIGKILL, a flipped bit,
 * a truncated object) injected in each phase of a run (before it, dump, spool, upload, verify, manifest,
 * retention, report, WAL push, replicate) at each destination kind where they apply, against one plan with
 * a local, an S3 (S3Proxy), an Azure (Azurite) and an SFTP (MINA SSHD) destination. Every cell checks the
 * promises: the other destinations hold a complete, verified backup; the exit code; one sentence naming the
 * failed part (never a raw exception); nothing incomplete or damaged listed as good; and the next run or
 * {@code replicate} heals it. The tally goes to {@code target/fault-matrix.md} (docs/reliability.md).
 *
 * <p>Cheap by design: the servers are the JVM's shared {@link FaultFixture} (a server is "stopped" by
 * pulling its {@link dev.caravan.testing.Cable}), small data, and every cell but the SIGKILL one runs the
 * command line in-process. Faults in the middle of a run are timed by {@link SendHooks}: at the moment the
 * write path hands a given object to a given destination.
 */
class FaultMatrixTest {
    private static final Pattern RAW = Pattern.compile("Exception|Exchange\\[|\\tat [a-z]|\\bnull\\b|Caused by");
    private static final List<Row> ROWS = new ArrayList<>();
    /** Files of a run still held open after it ended (seen when a tmpfs cannot be unmounted): a finding, listed in the tally. */
    private static final List<String> HELD_OPEN = new ArrayList<>();
    private static FaultFixture fx;

    @TempDir
    Path tmp;
    Path data;
    Path nas;
    Path plan;
    String run;

    /** One cell's outcome, for the table. */
    record Row(String fault, String phase, String destination, int exit, String sentence, int lost, int badListed, int raw,
               boolean healed) {
    }

    @BeforeAll
    static void servers() throws Exception {
        fx = FaultFixture.get();
        SendHooks.install();
    }

    @AfterAll
    static void writeTally() throws IOException {
        int lost = ROWS.stream().mapToInt(Row::lost).sum();
        int bad = ROWS.stream().mapToInt(Row::badListed).sum();
        int raw = ROWS.stream().mapToInt(Row::raw).sum();
        long healed = ROWS.stream().filter(Row::healed).count();
        StringBuilder md = new StringBuilder();
        md.append("# Fault matrix\n\n");
        md.append("Made by `./run-tests -Dtest=FaultMatrixTest` (src/test/java/dev/caravan/cli/FaultMatrixTest.java).\n\n");
        md.append("| Faults injected | Backups lost | Bad backups listed as good | Raw exceptions shown | Healed by the next run / replicate |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(ROWS.size()).append(" | ").append(lost).append(" | ").append(bad).append(" | ").append(raw)
                .append(" | ").append(healed).append(" of ").append(ROWS.size()).append(" |\n\n");
        md.append("| Fault | Phase | Destination | Exit | What the user is told | Lost | Bad listed | Raw | Healed |\n");
        md.append("|---|---|---|---:|---|---:|---:|---:|---|\n");
        for (Row r : ROWS) {
            md.append("| ").append(r.fault()).append(" | ").append(r.phase()).append(" | ").append(r.destination()).append(" | ")
                    .append(r.exit()).append(" | `").append(r.sentence().replace("|", "\\|").replace("`", "'")).append("` | ")
                    .append(r.lost()).append(" | ").append(r.badListed()).append(" | ").append(r.raw()).append(" | ")
                    .append(r.healed() ? "yes" : "NO").append(" |\n");
        }
        if (!HELD_OPEN.isEmpty()) {
            md.append("\nStill held open after their run ended (found by the tmpfs cells):\n\n");
            HELD_OPEN.forEach(f -> md.append("- `").append(f).append("`\n"));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/fault-matrix.md"), md.toString());
        assertThat(lost).as("backups lost\n" + md).isZero();
        assertThat(bad).as("bad backups listed as good\n" + md).isZero();
        assertThat(raw).as("raw exceptions shown\n" + md).isZero();
        assertThat(HELD_OPEN).as("files still held open after their run ended\n" + md).isEmpty();
    }

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        run = FaultFixture.newRun("m");
        data = Files.createDirectories(tmp.resolve("data"));
        byte[] random = new byte[64 * 1024];
        new Random(run.hashCode()).nextBytes(random);
        Files.write(data.resolve("blob.bin"), random);
        Files.writeString(data.resolve("a.txt"), "alpha\n".repeat(2000));
        nas = tmp.resolve("nas");
        plan = tmp.resolve("plan.groovy");
        writePlan(FaultFixture.PlanOptions.files(data));
    }

    @AfterEach
    void tearDown() throws IOException {
        SendHooks.clear();
        fx.restoreAll();
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private void writePlan(FaultFixture.PlanOptions o) throws IOException {
        Files.writeString(plan, fx.plan(run, nas, o));
    }

    /** What the libraries logged during the cell's commands (Caravan's CLI logs to stderr, as a user sees it). */
    private final StringBuilder logs = new StringBuilder();

    /** Runs one verb in-process; what it prints is returned, what the libraries log meanwhile goes to {@link #logs}. */
    private CliRunner.Result caravan(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            return CliRunner.run(args);
        } finally {
            System.setErr(stderr);
            String logged = log.toString(StandardCharsets.UTF_8);
            stderr.print(logged);
            synchronized (logs) {
                logs.append(logged);
            }
        }
    }

    /** Log lines of the test's own in-JVM servers (MINA SSHD's session and channel classes), which no user of Caravan sees. */
    private static final Pattern SERVER_SIDE = Pattern.compile(" (WARN|ERROR|INFO) (ChannelAsyncOutputStream|ServerSession\\w*|ServerConnectionService|"
            + "AbstractSession\\w*|SftpSubsystem|ChannelSession|Nio2Session)\\b");

    private String userVisibleLogs() {
        synchronized (logs) {
            return logs.toString().lines().filter(l -> !SERVER_SIDE.matcher(l).find()).reduce("", (a, b) -> a + b + "\n");
        }
    }

    private static final Pattern ID = Pattern.compile("backup (\\d{8}T\\d{6}Z): ");

    private static String idOf(CliRunner.Result now) {
        Matcher m = ID.matcher(now.out());
        assertThat(m.find()).as(now.toString()).isTrue();
        return m.group(1);
    }

    /** Destinations whose copy of {@code id} verifies (every object against that destination's manifest), from one {@code verify ID}. */
    private Set<String> verifiedAt(String id) {
        CliRunner.Result v = caravan("verify", plan.toString(), id);
        Set<String> ok = new LinkedHashSet<>();
        for (String d : ALL) {
            List<String> mine = v.out().lines().filter(l -> l.contains(" " + id + " " + d + " ")).toList();
            if (!mine.isEmpty() && mine.stream().allMatch(l -> l.startsWith("OK"))) {
                ok.add(d);
            }
        }
        return ok;
    }

    /** Destinations {@code list} names as holding {@code id}. */
    private Set<String> listedAt(String id) {
        CliRunner.Result list = caravan("list", plan.toString());
        Set<String> at = new LinkedHashSet<>();
        list.out().lines().filter(l -> l.contains(id)).forEach(l -> {
            for (String d : ALL) {
                if (Pattern.compile("[ ,]" + d + "([ ,]|$)").matcher(l).find()) {
                    at.add(d);
                }
            }
        });
        return at;
    }

    /** What a cell expects of the command that met the fault. */
    record Expect(int exit, String told, boolean failedKeepsCopy, boolean atRest) {
        /** The destination fails alone: exit 1, one FAILED line naming it saying {@code told}, its copy not counted. */
        static Expect failsAlone(String told) {
            return new Expect(1, told, false, false);
        }

        /** The run does its job and says {@code told} about the destination, whose backup stays complete. */
        static Expect keepsCopy(int exit, String told) {
            return new Expect(exit, told, true, false);
        }

        /**
         * The copy at the destination was damaged at rest, after its run: {@code list} cannot know (it reads
         * manifests, not data), so "listed as good" means {@code verify} passing it.
         */
        static Expect damagedAtRest(int exit, String told) {
            return new Expect(exit, told, false, true);
        }
    }

    /**
     * The promises, after a command that met a fault at {@code failed} (null: the run as a whole), for the backup
     * {@code id} (null: none was made): exit code; one sentence naming the failed part, no raw exception in what
     * it printed or logged; every other destination (and the failed one too, when its copy should survive) holds
     * a verified copy; nothing listed that does not verify. Then {@code heal}, and every destination verifies.
     * The row is recorded before anything is asserted, so the tally counts what a failing cell saw.
     */
    private void cell(String fault, String phase, String failed, CliRunner.Result r, String id, Expect e, Heal heal)
            throws Exception {
        String shown = r.out() + r.err() + userVisibleLogs();
        Matcher rawMatch = RAW.matcher(shown);
        int raw = rawMatch.find() ? 1 : 0;
        List<String> failedLines = r.out().lines().filter(l -> l.contains("FAILED") && !l.startsWith("plan '")).toList();
        String told = failedLines.isEmpty() ? r.err().strip().lines().findFirst().orElse("") : failedLines.get(0).strip();
        if (e.failedKeepsCopy() && failed != null) {
            told = r.out().lines().filter(l -> l.contains(" " + failed + ": ") && !l.contains("stored and verified")).map(String::strip)
                    .findFirst().orElse("");
        }
        int lost = 0;
        int bad = 0;
        if (id != null) {
            Set<String> verified = verifiedAt(id);
            Set<String> listed = listedAt(id);
            for (String d : ALL) {
                boolean mustHold = failed != null && (!d.equals(failed) || e.failedKeepsCopy());
                if (mustHold && !verified.contains(d)) {
                    lost++;
                }
                boolean damagedHere = e.atRest() && d.equals(failed);
                if (damagedHere ? verified.contains(d) : listed.contains(d) && !verified.contains(d)) {
                    bad++;
                }
            }
        }
        boolean healed = false;
        String healFailure = "";
        try {
            heal.run(id);
            healed = id == null || verifiedAt(id).containsAll(ALL);
        } catch (AssertionError | Exception x) {
            healFailure = x.getMessage();
        } finally {
            ROWS.add(new Row(fault, phase, failed == null ? "all" : failed + " (" + kind(failed) + ")", r.exit(), told, lost, bad,
                    raw, healed));
            synchronized (logs) {
                logs.setLength(0);
            }
        }
        assertThat(raw).as("raw exception shown (" + (raw > 0 ? rawMatch.group() : "") + "):\n" + r + "\n--- logs\n" + shown).isZero();
        assertThat(r.exit()).as(r.toString()).isEqualTo(e.exit());
        if (e.told() != null) {
            assertThat(told).as(r.toString()).contains(e.told());
        }
        if (failed != null && !e.failedKeepsCopy() && e.exit() != 0) {
            assertThat(failedLines).as("one sentence naming the failed part:\n" + r).hasSize(1);
            assertThat(failedLines.get(0)).as(r.toString()).containsPattern("(destination " + failed + ": FAILED: | " + failed + " |-> " + failed + ": FAILED: )");
        }
        assertThat(lost).as("backups lost:\n" + r).isZero();
        assertThat(bad).as("bad backups listed as good:\n" + r).isZero();
        assertThat(healed).as("healed: " + healFailure).isTrue();
    }

    private static String kind(String destination) {
        return switch (destination) {
            case LOCAL -> "local";
            case S3 -> "s3";
            case AZURE -> "azure";
            case SFTP -> "sftp";
            default -> destination;
        };
    }

    @FunctionalInterface
    interface Heal {
        void run(String id) throws Exception;
    }

    /** The healing the docs promise after an outage: {@code replicate} copies what a destination lacks. */
    private Heal replicate() {
        return id -> {
            CliRunner.Result r = caravan("replicate", plan.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        };
    }

    /** The docs' way to heal a damaged copy: delete it there, then replicate. */
    private Heal deleteAndReplicate(String destination) {
        return id -> {
            CliRunner.Result del = caravan("delete", plan.toString(), id, "--from", destination);
            assertThat(del.exit()).as(del.toString()).isZero();
            replicate().run(id);
        };
    }

    /** The next run: exit 0, every destination stored and verified. */
    private Heal nextRun() {
        return id -> {
            CliRunner.Result now = caravan("now", plan.toString());
            assertThat(now.exit()).as(now.toString()).isZero();
        };
    }

    private static boolean isObject(String key) {
        return key.endsWith("/tree.tar.zst");
    }

    private static String refused(String d) {
        return "cannot connect to " + fx.hostPort(d) + " (connection refused)";
    }

    private CliRunner.Result now() {
        return caravan("now", plan.toString());
    }

    // ------------------------------------------------------------------ before the run

    @Test
    void server_stopped_before_the_run() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            fx.cut(d);
            CliRunner.Result now = now();
            fx.restore(d);
            cell("server stopped", "before the run", d, now, idOf(now), Expect.failsAlone(refused(d)), replicate());
        }
    }

    @Test
    void wrong_credentials_before_the_run() throws Exception {
        FaultFixture.PlanOptions good = FaultFixture.PlanOptions.files(data);
        for (String d : List.of(S3, AZURE, SFTP)) {
            FaultFixture.PlanOptions wrong = switch (d) {
                case S3 -> good.s3Secret("not-the-secret");
                case AZURE -> good.azureKey(AzuriteServer.KEY.substring(0, 10) + "AAAA" + AzuriteServer.KEY.substring(14));
                default -> good.sftpPassword("not-the-password");
            };
            writePlan(wrong);
            CliRunner.Result now = now();
            assertThat(now.toString()).doesNotContain("not-the-secret", "not-the-password");
            writePlan(good);
            String told = d.equals(SFTP) ? "login as 'backup' refused by " + fx.hostPort(d) + " (check password)" : "access denied";
            cell("wrong credentials", "before the run", d, now, idOf(now), Expect.failsAlone(told), replicate());
        }
    }

    // ------------------------------------------------------------------ dump and spool

    /** A command source that streams a little, says it is dumping, and holds until {@code hold} is gone. */
    private Path holdingSource(Path started, Path hold) throws IOException {
        Files.writeString(hold, "");
        writePlan(FaultFixture.PlanOptions.files(data).sources("command('stream') { run 'sh', '-c', 'head -c 100000 /dev/urandom; touch "
                + started + "; while [ -f " + hold + " ]; do sleep 0.05; done' }"));
        return hold;
    }

    private static void await(Path file, CompletableFuture<?> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // a JVM start is slow on a busy machine
        while (!Files.exists(file)) {
            assertThat(run == null || !run.isDone()).as("the run ended before " + file).isTrue();
            assertThat(System.nanoTime()).as("waiting for " + file).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void server_stopped_while_the_source_dumps() throws Exception {
        for (String d : List.of(S3, SFTP)) {
            Path started = tmp.resolve("started-" + d);
            Path hold = holdingSource(started, tmp.resolve("hold-" + d));
            CompletableFuture<CliRunner.Result> run = CompletableFuture.supplyAsync(this::now);
            await(started, run);
            fx.cut(d);
            Files.delete(hold);
            CliRunner.Result now = run.get(120, TimeUnit.SECONDS);
            fx.restore(d);
            cell("server stopped", "dump", d, now, idOf(now), Expect.failsAlone(refused(d)), replicate());
        }
    }

    @Test
    void sigkill_while_the_source_dumps() throws Exception {
        Path started = tmp.resolve("started");
        Path hold = holdingSource(started, tmp.resolve("hold"));
        Path work = tmp.resolve("work");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dcaravan.state.dir=" + tmp.resolve("state"), "-Dcaravan.work.dir=" + work,
                "dev.caravan.cli.Main", "now", plan.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        try {
            try {
                await(started, null);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- the run's output:\n" + Files.readString(tmp.resolve("killed.log")), e);
            }
            List<ProcessHandle> dump = child.descendants().toList();
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            dump.forEach(ProcessHandle::destroyForcibly);
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(137);
        Files.delete(hold);
        // nothing of the killed run is listed anywhere; the next run removes its spool and makes a good backup
        CliRunner.Result list = caravan("list", plan.toString(), "--json");
        assertThat(list.out()).contains("\"backups\" : [ ]");
        CliRunner.Result next = now();
        assertThat(next.out()).contains("removed the spool of a killed run");
        cell("SIGKILL", "dump", null, next, idOf(next), new Expect(0, null, false, false), id -> { });
    }

    @Test
    void work_disk_full_while_spooling() throws Exception {
        Path full = tmp.resolve("full-work");
        byte[] random = new byte[2 << 20];
        new Random(7).nextBytes(random);
        Files.write(data.resolve("big.bin"), random);
        FaultFixture.mountTmpfs(full, 1);
        CliRunner.Result now;
        try {
            now = caravan("now", plan.toString(), "--work-dir", full.toString());
        } finally {
            HELD_OPEN.addAll(FaultFixture.unmount(full));
        }
        String id = ID.matcher(now.out()).find() ? idOf(now) : null;
        if (id != null) {
            assertThat(listedAt(id)).as("nothing of a run whose spool did not fit is listed").isEmpty();
        }
        cell("disk full", "spool", null, now, null, new Expect(1, "No space left on device", false, false), nextRun());
    }

    // ------------------------------------------------------------------ upload, verify, manifest: timed by the write path

    @Test
    void server_stopped_at_upload() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENDING, d, FaultMatrixTest::isObject, key -> fx.cut(d));
            CliRunner.Result now = now();
            fx.restore(d);
            cell("server stopped", "upload", d, now, idOf(now), Expect.failsAlone(refused(d)), replicate());
        }
    }

    @Test
    void local_disk_full_at_upload() throws Exception {
        byte[] random = new byte[2 << 20];
        new Random(8).nextBytes(random);
        Files.write(data.resolve("big.bin"), random);
        nas = tmp.resolve("small-nas");
        FaultFixture.mountTmpfs(nas, 1);
        CliRunner.Result now;
        try {
            writePlan(FaultFixture.PlanOptions.files(data));
            now = now();
        } finally {
            HELD_OPEN.addAll(FaultFixture.unmount(nas));
        }
        cell("disk full", "upload", LOCAL, now, idOf(now), Expect.failsAlone("No space left on device"), replicate());
    }

    @Test
    void server_stopped_at_verify_after_upload() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENT, d, FaultMatrixTest::isObject, key -> fx.cut(d));
            CliRunner.Result now = now();
            fx.restore(d);
            cell("server stopped", "verify", d, now, idOf(now), Expect.failsAlone("verify after upload: "), replicate());
        }
    }

    /**
     * A bit flipped in the copy just stored, before it is read back. Not for S3: its check after upload is
     * the server's own SHA-256 of what it received (x-amz-checksum-sha256), so rot at rest there is the
     * verify verb's cell below.
     */
    @Test
    void bit_flip_at_verify_after_upload() throws Exception {
        for (String d : List.of(LOCAL, AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENT, d, FaultMatrixTest::isObject, key -> damage(d, key, false));
            CliRunner.Result now = now();
            cell("bit flip", "verify", d, now, idOf(now), Expect.failsAlone("verify after upload: "), deleteAndReplicate(d));
        }
    }

    @Test
    void server_stopped_at_manifest() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENDING, d, k -> k.endsWith("/manifest.json"), key -> fx.cut(d));
            CliRunner.Result now = now();
            fx.restore(d);
            cell("server stopped", "manifest", d, now, idOf(now), Expect.failsAlone(refused(d)), replicate());
        }
    }

    // ------------------------------------------------------------------ retention and report: the backup there is complete

    /** The server goes away once the manifest is stored (no read-back: retention is the next step to touch it). */
    @Test
    void server_stopped_at_retention() throws Exception {
        writePlan(FaultFixture.PlanOptions.files(data).afterUpload(false));
        for (String d : List.of(S3, SFTP)) {
            SendHooks.once(SendHooks.When.SENT, d, k -> k.endsWith("/manifest.json"), key -> fx.cut(d));
            CliRunner.Result now = now();
            fx.restore(d);
            cell("server stopped", "retention", d, now, idOf(now), Expect.keepsCopy(0, "retention " + d + ": not pruned: "), nextRun());
        }
    }

    @Test
    void server_stopped_at_report() throws Exception {
        for (String d : List.of(AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENDING, d, k -> k.endsWith("/report.json"), key -> fx.cut(d));
            CliRunner.Result now = now();
            fx.restore(d);
            cell("server stopped", "report", d, now, idOf(now), Expect.keepsCopy(0, null), nextRun());
        }
    }

    // ------------------------------------------------------------------ after the run: the verify verb

    /** One backup; each destination's copy in turn damaged, found by {@code verify}, and healed before the next. */
    @Test
    void bit_flip_and_truncation_found_by_verify() throws Exception {
        CliRunner.Result now = now();
        assertThat(now.exit()).as(now.toString()).isZero();
        String id = idOf(now);
        for (boolean truncate : new boolean[] {false, true}) {
            for (String d : ALL) {
                damage(d, "app/" + id + "/tree.tar.zst", truncate);
                CliRunner.Result verify = caravan("verify", plan.toString(), id);
                cell(truncate ? "truncated object" : "bit flip", "verify (verb)", d, verify, id,
                        Expect.damagedAtRest(1, " " + d + " tree.tar.zst: "), deleteAndReplicate(d));
            }
        }
    }

    /** A flipped bit or a cut at one destination's copy of {@code key} ({@code app/<id>/<object>}). */
    private void damage(String destination, String key, boolean truncate) throws IOException {
        String[] parts = key.split("/");
        String id = parts[parts.length - 2];
        String object = parts[parts.length - 1];
        if (destination.equals(AZURE)) {
            fx.damageBlob(run, "app/" + id + "/" + object, truncate);
            return;
        }
        Path f = fx.stored(destination, run, nas, id, object);
        if (truncate) {
            FaultFixture.truncate(f);
        } else {
            FaultFixture.flipBit(f);
        }
    }

    // ------------------------------------------------------------------ WAL push

    @Test
    void server_stopped_at_wal_push() throws Exception {
        writePlan(FaultFixture.PlanOptions.files(data).sources(
                "postgres('db') { host '127.0.0.1'; port 1; user 'postgres'; password 'unused'; database 'postgres'; continuous true }"));
        for (String d : List.of(S3, AZURE, SFTP)) {
            String segment = "00000001000000000000000" + "ABC".charAt(List.of(S3, AZURE, SFTP).indexOf(d));
            Path file = Files.write(tmp.resolve(segment), new byte[64 * 1024]);
            fx.cut(d);
            CliRunner.Result push = caravan("wal-push", plan.toString(), "--source", "db", file.toString(), segment);
            fx.restore(d);
            int lost = 0;
            for (String other : ALL) {
                if (!other.equals(d) && !fx.holds(other, run, nas, segment)) {
                    lost++;
                }
            }
            CliRunner.Result again = caravan("wal-push", plan.toString(), "--source", "db", file.toString(), segment);
            boolean healed = again.exit() == 0 && fx.holds(d, run, nas, segment);
            String told = push.err().strip();
            int raw = RAW.matcher(push.out() + push.err() + userVisibleLogs()).find() ? 1 : 0;
            ROWS.add(new Row("server stopped", "WAL push", d + " (" + kind(d) + ")", push.exit(), told, lost, 0, raw, healed));
            synchronized (logs) {
                logs.setLength(0);
            }
            assertThat(raw).as(push.toString()).isZero();
            assertThat(push.exit()).as(push.toString()).isEqualTo(1);
            assertThat(told).as("one sentence").isEqualTo("caravan: wal-push " + segment + " to " + d + " failed: " + kind(d) + " '" + d
                    + "': " + refused(d));
            assertThat(lost).isZero();
            assertThat(healed).as(again.toString()).isTrue();
        }
    }

    // ------------------------------------------------------------------ replicate

    @Test
    void server_stopped_while_replicating() throws Exception {
        for (String d : List.of(S3, SFTP)) {
            fx.cut(d);
            String id = idOf(now());
            fx.restore(d);
            SendHooks.once(SendHooks.When.SENDING, d, FaultMatrixTest::isObject, key -> fx.cut(d));
            CliRunner.Result replicate = caravan("replicate", plan.toString());
            fx.restore(d);
            cell("server stopped", "replicate", d, replicate, id, Expect.failsAlone(refused(d)), replicate());
        }
    }

    /** The copy replicate would read first (nas, first in plan order) is damaged: it must copy a good one. */
    @Test
    void bit_flip_at_the_copy_replicate_reads() throws Exception {
        fx.cut(S3);
        String id = idOf(now());
        fx.restore(S3);
        FaultFixture.flipBit(fx.stored(LOCAL, run, nas, id, "tree.tar.zst"));
        CliRunner.Result replicate = caravan("replicate", plan.toString());
        assertThat(replicate.out()).contains("-> " + S3 + ": copied");
        // the damaged copy is the one left to heal; the copy replicate made verifies
        cell("bit flip", "replicate", LOCAL, replicate, id, Expect.damagedAtRest(0, null), deleteAndReplicate(LOCAL));
    }
}
