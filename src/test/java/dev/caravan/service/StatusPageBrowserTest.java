package dev.caravan.service;

import dev.caravan.cli.CliRunner;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import dev.caravan.testing.PostgresServer;
import dev.caravan.testing.ServerProcess;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.caravan.service.ServiceReloadTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page as an operator sees it, in headless Chromium: a service with two plans ('web' with a
 * local disk and an S3 destination that is down, and a scheduled drill that has run; 'db' with a
 * continuous PostgreSQL source on a real server with WAL archiving on), its DOM read with jsoup and
 * every element looked for: backups with label, note, size and verified holders, the restore command
 * and its copy button, upcoming fires, destination state and last failure, drills with RTO, WAL lag,
 * the chart's axes, the self-refresh (run by Chromium's virtual clock past 15 s) under the page's CSP,
 * and no secret anywhere. Writes the screenshot for docs/monitoring.md to target/status-page.png.
 */
class StatusPageBrowserTest {
    private static final String S3_SECRET = "status-page-s3-secret-42";
    private static final String NOTE = "before the <b>upgrade</b> & 'quotes'";
    @TempDir
    Path tmp;
    PostgresServer pg;

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
        if (pg != null) {
            pg.stop();
        }
    }

    @Test
    void chromium_shows_every_plan_with_backups_fires_destination_failures_drills_wal_lag_and_a_chart_and_refreshes_itself() throws Exception {
        pg = PostgresServer.startPrivate("pg-status-page", Map.of("wal_level", "replica", "archive_mode", "on",
                "archive_command", "/bin/true", "archive_timeout", "0"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        java.util.Random random = new java.util.Random(14);
        Files.write(data.resolve("photo.jpg"), bytes(random, 60_000));
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        int s3Port = ServerProcess.freePort();
        int httpPort = ServerProcess.freePort();
        Path file = tmp.resolve("plan.groovy");
        Files.writeString(file, """
                backup('web') {
                    schedule '0 3 * * *'
                    sources { files('site') { path '%s' } }
                    destinations {
                        local('nas') { path '%s' }
                        s3('cloud') { bucket 'b'; region 'us-east-1'; endpoint 'http://127.0.0.1:%d'; accessKey 'k'; secretKey '%s'; retries 0 }
                    }
                    drill {
                        schedule every('1h')
                        rto '15m'
                        check('site', files: true) { atLeast 1 }
                    }
                    alerts { staleAfter '25h' }
                }
                backup('db') {
                    schedule '30 2 * * *'
                    sources {
                        postgres('app') { host '127.0.0.1'; port %d; user 'postgres'; password '%s'; database 'postgres'; continuous true }
                    }
                    destinations { local('nas') { path '%s' } }
                }
                service { http port: %d; catchUp false }
                """.formatted(data, tmp.resolve("nas"), s3Port, S3_SECRET, pg.port(), PostgresServer.PASSWORD, tmp.resolve("nas"), httpPort));
        // before the service: its drill fires at start and needs a backup; the S3 destination is down, so each run exits 1
        assertThat(CliRunner.run("now", file.toString(), "--plan", "web").exit()).isEqualTo(1);
        Files.write(data.resolve("more.jpg"), bytes(random, 140_000));
        assertThat(CliRunner.run("now", file.toString(), "--plan", "web", "--label", "pre-update", "--note", NOTE).exit()).isEqualTo(1);
        assertThat(CliRunner.run("now", file.toString(), "--plan", "db").exit()).isZero();

        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Service service = new Service(PlanLoader.load(file), settings, new Service.Timing(Duration.ofHours(1), Duration.ofHours(1)))) {
            service.start();
            await("the drill ran", () -> !service.history().drills("web").isEmpty());
            await("the WAL lag was measured", () -> !service.history().walLags("db").isEmpty());
            String url = "http://127.0.0.1:" + service.httpPort() + "/";

            HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(raw.headers().firstValue("Content-Security-Policy")).hasValue(StatusAssets.CSP);
            assertThat(StatusAssets.CSP).startsWith("default-src 'none'; script-src 'sha256-").doesNotContain("unsafe");
            Document served = Jsoup.parse(raw.body());
            assertThat(served.select("noscript").html()).as("the meta refresh without script")
                    .contains("http-equiv=\"refresh\" content=\"15\"");
            assertThat(served.select("script[src], link, img, iframe, [onclick], [style]")).as("nothing external, no inline handler or style").isEmpty();
            assertThat(raw.body()).doesNotContain(PostgresServer.PASSWORD).doesNotContain(S3_SECRET);

            // one Chromium run: its virtual clock runs past the 15 s refresh, then the DOM and the screenshot
            Path log = tmp.resolve("chromium.log");
            Path shot = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            Document dom = Jsoup.parse(chromium(log, "--virtual-time-budget=17000", "--hide-scrollbars", "--window-size=1280,2480",
                    "--screenshot=" + shot, "--dump-dom", url));
            String console = Files.readString(log);
            assertThat(console).as("no CSP violation in Chromium's console").doesNotContain("Content Security Policy").doesNotContain("Refused to");

            assertThat(dom.selectFirst("#refresh-state").attr("data-refreshed")).as("the script refreshed the page after 15 s").isNotEmpty();
            assertThat(dom.select("section.plan").eachAttr("id")).containsExactly("plan-web", "plan-db");

            Element web = dom.selectFirst("#plan-web");
            Elements rows = web.select("table.backups tr.backup");
            assertThat(rows).hasSize(2);
            Element newest = rows.get(0);
            assertThat(newest.selectFirst("td.label").text()).isEqualTo("pre-update");
            assertThat(newest.selectFirst("td.note").text()).as("the note escaped, not markup").isEqualTo(NOTE);
            assertThat(newest.select("td.note b")).isEmpty();
            assertThat(newest.selectFirst("td.size").text()).matches("[0-9.]+ (B|KiB|MiB)");
            assertThat(newest.selectFirst("td.copy-at[data-destination=nas]").text()).isEqualTo("✓ verified");
            assertThat(newest.selectFirst("td.copy-at[data-destination=cloud]").text()).isEqualTo("✗ none");
            String id = newest.attr("data-id");
            String command = "caravan restore " + file.toAbsolutePath() + " " + id + " --plan web";
            assertThat(newest.selectFirst("code.cmd").text()).isEqualTo(command);
            assertThat(newest.selectFirst("button.copy").attr("data-copy")).isEqualTo(command);

            List<String> fires = web.select("table.fires tr.fire").eachText();
            assertThat(fires).anyMatch(f -> f.endsWith("backup")).anyMatch(f -> f.endsWith("restore drill")).hasSizeLessThanOrEqualTo(6);
            for (Element t : web.select("table.fires time")) {
                assertThat(Instant.parse(t.attr("datetime"))).isAfter(Instant.now().minusSeconds(60));
            }

            String down = "s3 'cloud': cannot connect to 127.0.0.1:" + s3Port + " (connection refused)";
            Element cloud = web.selectFirst("tr.destination[data-destination=cloud]");
            assertThat(cloud.selectFirst("td.state").text()).isEqualTo("unreachable: " + down);
            assertThat(cloud.selectFirst("td.last-failure").text()).endsWith(": " + down);
            Element nas = web.selectFirst("tr.destination[data-destination=nas]");
            assertThat(nas.selectFirst("td.state").text()).isEqualTo("reachable");
            assertThat(nas.selectFirst("td.last-failure").text()).isEqualTo("none since the service started");

            assertThat(web.selectFirst("p.rto-target").text()).isEqualTo("RTO target: 900.0 s");
            Element drill = web.selectFirst("table.drills tr.drill");
            assertThat(drill.hasClass("passed")).as(drill.text()).isTrue();
            assertThat(drill.text()).contains(id);
            assertThat(drill.selectFirst("td.rto").text()).matches("[0-9]+\\.[0-9] s within 900\\.0 s");

            Element chart = web.selectFirst("svg#chart-web");
            assertThat(chart.select("rect.size")).hasSize(2);
            assertThat(chart.select("line.x-axis, line.y-axis, line.y2-axis")).hasSize(3);
            assertThat(chart.select("text.y-tick")).hasSize(5);
            assertThat(chart.select("text.y-tick").eachText()).as("round values in one unit")
                    .allMatch(t -> t.matches("[0-9]+(\\.5)? KiB|0 KiB"));
            assertThat(chart.select("text.x-tick")).isNotEmpty();
            assertThat(chart.select("text.axis-title").eachText()).contains("stored size", "duration", "backup start (UTC)");
            assertThat(web.select("p.wal-none")).hasSize(1);

            Element db = dom.selectFirst("#plan-db");
            assertThat(db.select("table.backups tr.backup")).hasSize(1);
            Element lag = db.selectFirst("table.wal tr.wal-lag[data-source=app]");
            assertThat(lag.selectFirst("td.lag").text()).matches("[0-9]+\\.[0-9] s");
            assertThat(db.select("table.fires tr.fire")).hasSize(3).allMatch(f -> f.text().endsWith("backup"));

            assertThat(Files.size(shot)).isGreaterThan(20_000);
            assertThat(dom.outerHtml()).doesNotContain(PostgresServer.PASSWORD).doesNotContain(S3_SECRET);
        }
    }

    /** Incompressible bytes, so the chart's bars differ. */
    private static byte[] bytes(java.util.Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Headless Chromium with a fresh profile and nothing in the background; stdout returned, the console to {@code log}. */
    private String chromium(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium's exit; its log: " + Files.readString(log)).isZero();
        return out;
    }
}
