package dev.caravan.cli;

import dev.caravan.alert.Alerts;
import dev.caravan.alert.WebhookReceiver;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Config;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import dev.caravan.testing.PostgresServer;
import dev.caravan.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password in a URL (a restore target's, or one a failing tool prints) shows up nowhere: not on
 * stdout or stderr, not in the logs, audit.log, report.json or an alert. Real restores into real
 * Redis and PostgreSQL servers whose passwords are only in the {@code --to} URL.
 */
class SecretsInOutputTest {
    private static final String REDIS_TARGET_PW = "redis-target-Secret-77";
    private static final String PG_TARGET_PW = "pg-target-Secret-88";
    private static final String TOOL_PW = "printed-by-the-tool-Secret-99";

    @TempDir
    Path tmp;
    Path state;
    private final List<RedisServer> redis = new ArrayList<>();
    private PrintStream stderr;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        state = tmp.resolve("state");
        System.setProperty("caravan.state.dir", state.toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        stderr = System.err;
        System.setErr(new PrintStream(new Tee(stderr, logs), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        System.setErr(stderr);
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
        redis.forEach(RedisServer::close);
    }

    @Test
    void restore_targets_with_passwords_are_masked_in_output_and_audit() throws Exception {
        RedisServer origin = RedisServer.start();
        redis.add(origin);
        origin.pipe("SET greeting hello\nSET count 42\n");
        RedisServer target = RedisServer.start(REDIS_TARGET_PW);
        redis.add(target);
        PostgresServer pg = PostgresServer.shared();
        String database = pg.newDatabase("secrets");
        pg.sql(database, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'one'), (2, 'two');");
        String role = "restorer_" + Long.toHexString(System.nanoTime());
        pg.sql("postgres", "CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + PG_TARGET_PW + "'");
        Path redisPw = Files.writeString(tmp.resolve("redis.pw"), RedisServer.PASSWORD);
        Path pgPw = Files.writeString(tmp.resolve("pg.pw"), PostgresServer.PASSWORD);
        Path plan = Files.writeString(tmp.resolve("plan.groovy"), """
                backup('apps') {
                    sources {
                        redis('cache') { host '127.0.0.1'; port %d; password secret('%s') }
                        postgres('db') { host '127.0.0.1'; port %d; user 'postgres'; password secret('%s'); database '%s' }
                    }
                    destinations { local('nas') { path '%s' } }
                }
                """.formatted(origin.port(), redisPw, pg.port(), pgPw, database, tmp.resolve("nas")));
        List<CliRunner.Result> runs = new ArrayList<>();
        runs.add(ok("now", plan.toString()));
        String redisUrl = "redis://default:" + REDIS_TARGET_PW + "@127.0.0.1:" + target.port();
        runs.add(ok("restore", plan.toString(), "latest", "--only", "cache", "--to", redisUrl));
        assertThat(target.cli("GET", "greeting")).isEqualTo("hello");
        String restored = "restored_" + Long.toHexString(System.nanoTime());
        String pgUrl = "postgresql://" + role + ":" + PG_TARGET_PW + "@127.0.0.1:" + pg.port() + "/" + restored;
        runs.add(ok("restore", plan.toString(), "latest", "--only", "db", "--to", pgUrl));
        assertThat(pg.sql(restored, "SELECT string_agg(v, ',' ORDER BY id) FROM t")).isEqualTo("one,two");
        // a dry run and a refused (non-empty, no --force) restore print the target too
        runs.add(CliRunner.run("restore", plan.toString(), "latest", "--only", "cache", "--to", redisUrl, "--dry-run"));
        CliRunner.Result refused = CliRunner.run("restore", plan.toString(), "latest", "--only", "cache", "--to", redisUrl);
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        runs.add(refused);

        String first = runs.get(1).out().lines().findFirst().orElseThrow();
        assertThat(first).contains("redis://default:***@127.0.0.1:" + target.port());
        String audit = Files.readString(state.resolve("audit.log"));
        assertThat(audit).contains("\"target\":\"redis://default:***@127.0.0.1:" + target.port() + "\"")
                .contains("postgresql://" + role + ":***@127.0.0.1:");
        for (CliRunner.Result r : runs) {
            assertThat(r.out() + r.err()).doesNotContain(REDIS_TARGET_PW).doesNotContain(PG_TARGET_PW)
                    .doesNotContain(RedisServer.PASSWORD).doesNotContain(PostgresServer.PASSWORD);
        }
        assertThat(audit).doesNotContain(REDIS_TARGET_PW).doesNotContain(PG_TARGET_PW);
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain(REDIS_TARGET_PW).doesNotContain(PG_TARGET_PW);
        assertThat(allFiles(tmp.resolve("nas"))).doesNotContain(REDIS_TARGET_PW).doesNotContain(PG_TARGET_PW);
    }

    @Test
    void a_url_a_failing_tool_prints_is_masked_in_the_report_the_alert_and_the_logs() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "alpha\n");
        Path script = Files.writeString(tmp.resolve("dump.sh"),
                "echo \"error: could not connect to redis://default:" + TOOL_PW + "@10.0.0.9:6379\" >&2\nexit 1\n");
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Path plan = Files.writeString(tmp.resolve("plan.groovy"), """
                    backup('app') {
                        sources {
                            files('d') { path '%s' }
                            command('tool') { run 'sh', '%s' }
                        }
                        destinations { local('nas') { path '%s' } }
                        alerts { webhook '%s' }
                    }
                    """.formatted(data, script, tmp.resolve("nas"), hook.url()));
            Config config = PlanLoader.load(plan);
            BackupResult result;
            try (Engine engine = new Engine(config, new EngineSettings(state, tmp.resolve("work"), ProgressListener.NONE))) {
                engine.addRunListener(new Alerts(engine.camel(), engine.settings().stateDir(), config.file()));
                result = engine.backup(config.plans().get(0), BackupRequest.SCHEDULED);
            }
            assertThat(result.ok()).isFalse();
            assertThat(hook.bodies()).hasSize(1);
            String alert = hook.bodies().get(0);
            assertThat(alert).contains("redis://default:***@10.0.0.9:6379").doesNotContain(TOOL_PW);
            String report = allFiles(tmp.resolve("nas"));
            assertThat(report).contains("redis://default:***@10.0.0.9:6379").doesNotContain(TOOL_PW);
            assertThat(Files.readString(state.resolve("audit.log"))).doesNotContain(TOOL_PW);
            assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain(TOOL_PW);
            assertThat(String.valueOf(result.sources())).doesNotContain(TOOL_PW);
        }
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /** The text of every report.json and manifest.json under a destination. */
    private static String allFiles(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                b.append(Files.readString(f)).append('\n');
            }
        }
        return b.toString();
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
