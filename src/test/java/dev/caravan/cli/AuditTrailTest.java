package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.backup.RunReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** report.json beside each manifest, and the audit log a sequence of verbs leaves behind. */
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path nas;
    Path usb;
    Path state;

    @BeforeEach
    void setUp() throws IOException {
        state = tmp.resolve("state");
        System.setProperty("caravan.state.dir", state.toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/a.txt"), "alpha\n".repeat(100));
        nas = tmp.resolve("nas");
        usb = tmp.resolve("usb");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(Path usbPath) throws IOException {
        return Files.writeString(tmp.resolve("plan.groovy"), """
                backup('docs') {
                    sources { files('tree') { path '%s' } }
                    destinations {
                        local('nas') { path '%s' }
                        local('usb') { path '%s' }
                    }
                    retention { keepLast 1 }
                }
                """.formatted(tmp.resolve("data"), nas, usbPath));
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private List<JsonNode> audit() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(state.resolve("audit.log"))) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    private static List<String> ids(Path dest) throws IOException {
        try (Stream<Path> s = Files.list(dest.resolve("docs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static RunReport report(Path dest, String id) throws IOException {
        try (InputStream in = Files.newInputStream(dest.resolve("docs/" + id + "/report.json"))) {
            return RunReport.read(in);
        }
    }

    @Test
    void each_backup_leaves_a_report_beside_its_manifest_on_every_destination() throws Exception {
        Path p = plan(usb);
        ok("now", p.toString(), "--label", "weekly", "--note", "before upgrade");
        String id = ids(nas).get(0);
        for (Path dest : List.of(nas, usb)) {
            RunReport r = report(dest, id);
            assertThat(r.format()).isEqualTo(RunReport.FORMAT);
            assertThat(r.id()).isEqualTo(id);
            assertThat(r.outcome()).isEqualTo("ok");
            assertThat(r.label()).isEqualTo("weekly");
            assertThat(r.note()).isEqualTo("before upgrade");
            assertThat(r.destinations()).containsEntry("nas", "ok").containsEntry("usb", "ok");
            assertThat(r.sources()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("tree");
                assertThat(s.sha256()).hasSize(64);
                assertThat(s.bytes()).isPositive();
                assertThat(s.error()).isNull();
            });
            assertThat(Files.getLastModifiedTime(dest.resolve("docs/" + id + "/report.json")))
                    .isGreaterThanOrEqualTo(Files.getLastModifiedTime(dest.resolve("docs/" + id + "/manifest.json")));
        }
        assertThat(ok("list", p.toString()).out()).contains(id);
        assertThat(ok("verify", p.toString(), "latest").exit()).isZero();
    }

    @Test
    void a_run_that_fails_at_one_destination_still_reports_at_the_other() throws Exception {
        Path blocked = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path p = plan(blocked.resolve("usb"));
        CliRunner.Result now = CliRunner.run("now", p.toString());
        assertThat(now.exit()).as(now.toString()).isNotZero();
        String id = ids(nas).get(0);
        RunReport r = report(nas, id);
        assertThat(r.outcome()).isEqualTo("partial");
        assertThat(r.destinations().get("nas")).isEqualTo("ok");
        assertThat(r.destinations().get("usb")).isNotEqualTo("ok").contains("usb");
        JsonNode line = audit().get(0);
        assertThat(line.get("event").asText()).isEqualTo("backup");
        assertThat(line.get("outcome").asText()).isEqualTo("partial");
        assertThat(line.get("problems").has("usb")).isTrue();
    }

    @Test
    void a_sequence_of_verbs_appends_one_audit_line_per_change() throws Exception {
        Path p = plan(usb);
        ok("now", p.toString());
        String first = ids(nas).get(0);
        ok("now", p.toString(), "--label", "second");
        String second = ids(nas).get(0);
        assertThat(second).isNotEqualTo(first);
        ok("delete", p.toString(), second, "--from", "usb");
        ok("replicate", p.toString());
        ok("prune", p.toString(), "--dry-run");
        Path restored = tmp.resolve("restored");
        ok("restore", p.toString(), second, "--to", restored.toString());
        ok("list", p.toString());

        List<JsonNode> lines = audit();
        assertThat(lines).extracting(l -> l.get("event").asText())
                .containsExactly("backup", "prune", "backup", "delete", "replicate", "restore");
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.get("plan").asText()).isEqualTo("docs");
            assertThat(l.get("time").asText()).isNotBlank();
        });
        assertThat(lines.get(0).get("id").asText()).isEqualTo(first);
        assertThat(lines.get(0).get("label").asText()).isEqualTo("manual");
        assertThat(lines.get(0).get("outcome").asText()).isEqualTo("ok");
        assertThat(lines.get(1).get("removed").toString()).contains("nas: removed " + first).contains("usb: removed " + first);
        assertThat(lines.get(2).get("label").asText()).isEqualTo("second");
        assertThat(lines.get(3).get("id").asText()).isEqualTo(second);
        assertThat(lines.get(3).get("destination").asText()).isEqualTo("usb");
        assertThat(lines.get(4).get("destination").asText()).isEqualTo("usb");
        assertThat(lines.get(4).get("from").asText()).isEqualTo("nas");
        JsonNode restore = lines.get(5);
        assertThat(restore.get("id").asText()).isEqualTo(second);
        assertThat(restore.get("sources").toString()).isEqualTo("[\"tree\"]");
        assertThat(restore.get("target").asText()).isEqualTo(restored.toString());
        assertThat(restore.get("outcome").asText()).isEqualTo("ok");
        assertThat(restored.resolve("a.txt")).hasSameTextualContentAs(tmp.resolve("data/a.txt"));
    }
}
