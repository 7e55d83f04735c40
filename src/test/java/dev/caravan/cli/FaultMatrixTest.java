package dev.caravan.cli;

import dev.caravan.testing.FaultFixture;
import dev.caravan.testing.SendHooks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/fault-matrix.md"), md.toString());
        assertThat(lost).as("backups lost\n" + md).isZero();
        assertThat(bad).as("bad backups listed as good\n" + md).isZero();
        assertThat(raw).as("raw exceptions shown\n" + md).isZero();
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

    private CliRunner.Result caravan(String... args) {
        return CliRunner.run(args);
    }

    // ------------------------------------------------------------------ what every cell checks

    private static final Pattern ID = Pattern.compile("backup (\\d{8}T\\d{6}Z): ");

    private static String idOf(CliRunner.Result now) {
        Matcher m = ID.matcher(now.out());
        assertThat(m.find()).as(now.toString()).isTrue();
        return m.group(1);
    }

    /** Destinations whose copy of {@code id} verifies, from one {@code verify ID} call. */
    private Set<String> verifiedAt(String id) {
        CliRunner.Result v = caravan("verify", plan.toString(), id);
        Set<String> ok = new LinkedHashSet<>(ALL);
        for (String line : v.out().lines().toList()) {
            for (String d : ALL) {
                if (line.startsWith("FAILED") && line.contains(" " + d + " ")) {
                    ok.remove(d);
                }
            }
        }
        ALL.stream().filter(d -> v.out().lines().noneMatch(l -> l.startsWith("OK") && l.contains(" " + d + " "))).forEach(ok::remove);
        return ok;
    }

    /** Destinations {@code list} names as holding {@code id}. */
    private Set<String> listedAt(String id) {
        CliRunner.Result list = caravan("list", plan.toString());
        Set<String> at = new LinkedHashSet<>();
        list.out().lines().filter(l -> l.contains(id)).forEach(l -> {
            for (String d : ALL) {
                if (l.matches(".*[ ,]" + d + "([ ,].*|$)")) {
                    at.add(d);
                }
            }
        });
        return at;
    }

    /**
     * The promises after a run with a fault at {@code failed} (null: the run as a whole failed): exit code,
     * one sentence naming the failed part, the others verified, nothing bad listed; then {@code heal} and
     * check that {@code failed} verifies too. Records the row, then asserts.
     */
    private void cell(String fault, String phase, String failed, CliRunner.Result now, int exit, String sentence,
                      Heal heal) throws Exception {
        String output = now.out() + now.err();
        int raw = RAW.matcher(output).find() ? 1 : 0;
        List<String> failedLines = now.out().lines().filter(l -> l.contains("FAILED")).toList();
        String told = failedLines.isEmpty() ? now.err().strip() : failedLines.get(0).strip();
        String id = ID.matcher(now.out()).find() ? idOf(now) : null;
        int lost = 0;
        int bad = 0;
        if (failed != null && id != null) {
            Set<String> verified = verifiedAt(id);
            Set<String> listed = listedAt(id);
            for (String d : ALL) {
                if (!d.equals(failed) && !verified.contains(d)) {
                    lost++;
                }
            }
            if (listed.contains(failed) && !verified.contains(failed)) {
                bad++;
            }
        }
        boolean healed = false;
        try {
            heal.run(id);
            healed = failed == null || id == null || verifiedAt(id).contains(failed) || verifiedLatest(failed);
        } finally {
            ROWS.add(new Row(fault, phase, failed == null ? "all" : failed + " (" + kind(failed) + ")", now.exit(), told,
                    lost, bad, raw, healed));
        }
        assertThat(raw).as("raw exception shown:\n" + now).isZero();
        assertThat(now.exit()).as(now.toString()).isEqualTo(exit);
        if (sentence != null) {
            assertThat(told).as(now.toString()).contains(sentence);
        }
        if (failed != null) {
            assertThat(failedLines).as("one sentence naming the failed part:\n" + now).hasSize(1);
            assertThat(failedLines.get(0)).contains("destination " + failed + ": FAILED: ");
        }
        assertThat(lost).as("backups lost:\n" + now).isZero();
        assertThat(bad).as("bad backups listed as good:\n" + now).isZero();
        assertThat(healed).as("healed").isTrue();
    }

    private boolean verifiedLatest(String destination) {
        return caravan("verify", plan.toString(), "latest", "--from", destination).exit() == 0;
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

    /** The healing the docs promise after an outage: {@code replicate} copies what the destination lacks. */
    private Heal replicate() {
        return id -> {
            CliRunner.Result r = caravan("replicate", plan.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        };
    }

    private static boolean isObject(String key) {
        return key.endsWith("/tree.tar.zst");
    }

    // ------------------------------------------------------------------ before the run

    @Test
    void server_stopped_before_the_run() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            fx.cut(d);
            CliRunner.Result now = caravan("now", plan.toString());
            fx.restore(d);
            cell("server stopped", "before the run", d, now, 1, "cannot connect to " + fx.hostPort(d), replicate());
        }
    }

    @Test
    void wrong_credentials_before_the_run() throws Exception {
        FaultFixture.PlanOptions good = FaultFixture.PlanOptions.files(data);
        for (String d : List.of(S3, AZURE, SFTP)) {
            FaultFixture.PlanOptions wrong = switch (d) {
                case S3 -> good.s3Secret("not-the-secret");
                case AZURE -> good.azureKey(dev.caravan.testing.AzuriteServer.KEY.substring(0, 10) + "AAAA"
                        + dev.caravan.testing.AzuriteServer.KEY.substring(14));
                default -> good.sftpPassword("not-the-password");
            };
            writePlan(wrong);
            CliRunner.Result now = caravan("now", plan.toString());
            assertThat(now.toString()).doesNotContain("not-the-secret", "not-the-password");
            writePlan(good);
            cell("wrong credentials", "before the run", d, now, 1, "access denied", replicate());
        }
    }

    // ------------------------------------------------------------------ during the run, timed by the write path

    @Test
    void server_stopped_at_upload() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENDING, d, FaultMatrixTest::isObject, key -> fx.cut(d));
            CliRunner.Result now = caravan("now", plan.toString());
            fx.restore(d);
            cell("server stopped", "upload", d, now, 1, "cannot connect to " + fx.hostPort(d), replicate());
        }
    }

    @Test
    void server_stopped_at_verify_after_upload() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENT, d, FaultMatrixTest::isObject, key -> fx.cut(d));
            CliRunner.Result now = caravan("now", plan.toString());
            fx.restore(d);
            cell("server stopped", "verify", d, now, 1, "verify after upload", replicate());
        }
    }

    @Test
    void bit_flip_at_verify_after_upload() throws Exception {
        for (String d : ALL) {
            SendHooks.once(SendHooks.When.SENT, d, FaultMatrixTest::isObject, key -> damage(d, key, false));
            CliRunner.Result now = caravan("now", plan.toString());
            cell("bit flip", "verify", d, now, 1, "verify after upload", deleteAndReplicate(d));
        }
    }

    @Test
    void server_stopped_at_manifest() throws Exception {
        for (String d : List.of(S3, AZURE, SFTP)) {
            SendHooks.once(SendHooks.When.SENDING, d, k -> k.endsWith("/manifest.json"), key -> fx.cut(d));
            CliRunner.Result now = caravan("now", plan.toString());
            fx.restore(d);
            cell("server stopped", "manifest", d, now, 1, "cannot connect to " + fx.hostPort(d), replicate());
        }
    }

    // ------------------------------------------------------------------ after the run: the verify verb

    @Test
    void bit_flip_and_truncation_found_by_verify() throws Exception {
        for (boolean truncate : new boolean[] {false, true}) {
            for (String d : ALL) {
                CliRunner.Result now = caravan("now", plan.toString());
                assertThat(now.exit()).as(now.toString()).isZero();
                String id = idOf(now);
                damage(d, "app/" + id + "/tree.tar.zst", truncate);
                CliRunner.Result verify = caravan("verify", plan.toString(), id);
                cell(truncate ? "truncated object" : "bit flip", "verify (verb)", d, verify, 1, " " + d + " tree.tar.zst: ",
                        deleteAndReplicate(d));
            }
        }
    }

    /** A flipped bit or a cut at one destination's copy of {@code key} ({@code app/<id>/<object>}). */
    private void damage(String destination, String key, boolean truncate) throws IOException {
        String[] parts = key.split("/");
        String id = parts[parts.length - 2];
        String object = parts[parts.length - 1];
        if (destination.equals(AZURE)) {
            fx.damageBlob(run, object, truncate);
            return;
        }
        Path f = fx.stored(destination, run, nas, id, object);
        if (truncate) {
            FaultFixture.truncate(f);
        } else {
            FaultFixture.flipBit(f);
        }
    }

    /** The docs' way to heal a damaged copy: delete it there, then replicate. */
    private Heal deleteAndReplicate(String destination) {
        return id -> {
            CliRunner.Result del = caravan("delete", plan.toString(), id, "--from", destination);
            assertThat(del.exit()).as(del.toString()).isZero();
            CliRunner.Result r = caravan("replicate", plan.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        };
    }

    @SuppressWarnings("unused")
    private CompletableFuture<CliRunner.Result> async(String... args) {
        return CompletableFuture.supplyAsync(() -> caravan(args));
    }

    @SuppressWarnings("unused")
    private static void await(CompletableFuture<?> f) throws Exception {
        f.get(60, TimeUnit.SECONDS);
    }
}
