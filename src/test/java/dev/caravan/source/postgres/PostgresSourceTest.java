package dev.caravan.source.postgres;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceContract;
import dev.caravan.testing.PostgresServer;
import dev.caravan.testing.ServerProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresSourceTest extends SourceContract {
    private static PostgresServer pg;
    private String database;

    @BeforeAll
    static void startServer() throws IOException {
        pg = PostgresServer.shared();
    }

    static Source source(String name, Options options) {
        return new PostgresSourceKind().create(new SourceSpec("postgres", name, 1, options));
    }

    private String seeded() throws IOException {
        String db = pg.newDatabase("app");
        pg.sql(db, """
                CREATE TABLE characters (id serial PRIMARY KEY, name text NOT NULL, level int, bio text);
                INSERT INTO characters (name, level, bio) SELECT 'hero ' || g, g % 60, repeat('lore ', g % 7) FROM generate_series(1, 500) g;
                INSERT INTO characters (name, level, bio) VALUES ('Zoë "the quote" O''Neil', 99, E'tab\\tand\\nnewline');
                CREATE TABLE campaigns (id int PRIMARY KEY, title text, starts date);
                INSERT INTO campaigns VALUES (1, 'The Long Road', '2025-03-15'), (2, 'Ashes', NULL);
                CREATE VIEW veterans AS SELECT name FROM characters WHERE level > 50;
                """);
        return db;
    }

    @Override
    protected Source sourceWithKnownData() throws IOException {
        database = seeded();
        return source("app", pg.options(database));
    }

    @Override
    protected String freshTarget() {
        return "restored_" + Long.toHexString(System.nanoTime());
    }

    @Override
    protected Object contents(String target) throws IOException {
        String db = target == null ? database : target;
        return pg.sql(db, "SELECT string_agg(format('%s|%s|%s|%s', id, name, level, bio), ';' ORDER BY id) FROM characters")
                + "\n" + pg.sql(db, "SELECT string_agg(format('%s|%s|%s', id, title, starts), ';' ORDER BY id) FROM campaigns")
                + "\n" + pg.sql(db, "SELECT count(*) FROM veterans")
                + "\n" + pg.sql(db, "SELECT last_value FROM characters_id_seq");
    }

    @Override
    protected Source unreachableSource() throws IOException {
        return source("gone", Options.of("host", "127.0.0.1", "port", ServerProcess.freePort(), "database", "app", "user", "postgres"));
    }

    @Override
    protected String who() {
        return "postgres 'app'";
    }

    @Test
    void extension_follows_the_format() {
        assertThat(source("a", pg.options("x")).extension()).isEqualTo("pgdump");
        assertThat(source("a", pg.options("x", "format", "plain")).extension()).isEqualTo("sql");
        assertThat(source("a", pg.options("x", "format", "directory")).extension()).isEqualTo("pgdir.tar");
        assertThatThrownBy(() -> source("a", pg.options("x", "format", "tar")))
                .hasMessage("postgres 'a': format must be one of custom, plain, directory, not 'tar'");
    }

    @Test
    void data_changed_after_the_dump_is_put_back_by_a_forced_restore() throws Exception {
        for (String format : new String[] {"custom", "plain", "directory"}) {
            String db = seeded();
            Source s = source("app", pg.options(db, "format", format, "jobs", 2));
            database = db;
            Object before = contents(null);
            Path dump = dumpToFile(s);
            pg.sql(db, "UPDATE characters SET level = 0; DELETE FROM campaigns WHERE id = 1; DROP VIEW veterans;"
                    + " CREATE TABLE extra (x int)");
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request(null, true));
            }
            assertThat(contents(null)).as(format).isEqualTo(before);
            assertThat(pg.sql(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'extra'"))
                    .as(format + ": extra table").isEqualTo(format.equals("plain") ? "0" : "1");
        }
    }

    @Test
    void plain_and_directory_dumps_restore_into_a_url_target() throws Exception {
        for (String format : new String[] {"plain", "directory"}) {
            database = seeded();
            Source s = source("app", pg.options(database, "format", format));
            Path dump = dumpToFile(s);
            try (InputStream in = Files.newInputStream(dump)) {
                s.readThrough(in);
            }
            String target = freshTarget();
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request("postgresql://postgres:" + PostgresServer.PASSWORD + "@127.0.0.1:" + pg.port() + "/" + target, false));
            }
            assertThat(contents(target)).as(format).isEqualTo(contents(null));
        }
    }

    @Test
    void a_url_target_logs_in_as_the_url_says_never_with_the_sources_login() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        String role = "restorer_" + Long.toHexString(System.nanoTime());
        pg.sql("postgres", "CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD 'restorer-pw'");
        String target = freshTarget();
        pg.sql("postgres", "CREATE DATABASE " + target + " OWNER " + role);
        String url = "postgresql://127.0.0.1:" + pg.port() + "/" + target;
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request(url, true));
            }
        }).hasMessageStartingWith("postgres 'app': ")
                .hasMessageContaining("password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PostgresServer.PASSWORD));
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request("postgresql://" + role + ":restorer-pw@127.0.0.1:" + pg.port() + "/" + target, true));
        }
        assertThat(contents(target)).isEqualTo(contents(null));
    }

    @Test
    void schema_only_and_single_table_options_shape_the_dump() throws Exception {
        String db = seeded();
        Path schema = dumpToFile(source("s", pg.options(db, "format", "plain", "schemaOnly", true)));
        assertThat(Files.readString(schema)).contains("CREATE TABLE public.characters").doesNotContain("The Long Road");
        Path one = dumpToFile(source("t", pg.options(db, "format", "plain", "tables", java.util.List.of("campaigns"))));
        assertThat(Files.readString(one)).contains("The Long Road").doesNotContain("CREATE TABLE public.characters");
    }

    @Test
    void one_table_with_a_foreign_key_restores_into_a_new_database_without_that_constraint_and_says_so() throws Exception {
        String db = pg.newDatabase("life");
        pg.sql(db, """
                CREATE TABLE adventures (id int PRIMARY KEY, title text);
                INSERT INTO adventures VALUES (1, 'The Long Road'), (2, 'Ashes');
                CREATE TABLE stories (id int PRIMARY KEY, adventure_id int NOT NULL REFERENCES adventures (id), body text);
                CREATE INDEX stories_adventure ON stories (adventure_id);
                INSERT INTO stories SELECT g, 1 + g % 2, 'once upon ' || g FROM generate_series(1, 50) g;
                """);
        for (String format : new String[] {"custom", "directory", "plain"}) {
            Source s = source("stories", pg.options(db, "format", format, "tables", java.util.List.of("stories")));
            Path dump = dumpToFile(s);
            String target = freshTarget();
            restoreLog.clear();

            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request("postgresql://postgres:" + PostgresServer.PASSWORD + "@127.0.0.1:" + pg.port() + "/" + target, false));
            }

            assertThat(pg.sql(target, "SELECT count(*) || ' ' || sum(id) FROM stories")).as(format).isEqualTo("50 1275");
            assertThat(pg.sql(target, "SELECT count(*) FROM pg_indexes WHERE indexname IN ('stories_pkey', 'stories_adventure')"))
                    .as(format + ": the other post-data entries are restored").isEqualTo("2");
            assertThat(pg.sql(target, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")).as(format).isEqualTo("0");
            assertThat(restoreLog.stream().filter(l -> l.contains("warning"))).as(format).containsExactly(
                    "postgres 'stories': warning: skipped 1 foreign key whose referenced table is neither in the backup nor in "
                            + "database '" + target + "' on 127.0.0.1:" + pg.port()
                            + ": stories_adventure_id_fkey on public.stories (references public.adventures)");
        }
    }

    @Test
    void a_foreign_key_to_a_table_the_target_already_has_is_restored() throws Exception {
        String db = pg.newDatabase("life");
        pg.sql(db, """
                CREATE TABLE adventures (id int PRIMARY KEY, title text);
                INSERT INTO adventures VALUES (1, 'The Long Road');
                CREATE TABLE stories (id int PRIMARY KEY, adventure_id int NOT NULL REFERENCES adventures (id));
                INSERT INTO stories VALUES (1, 1), (2, 1);
                """);
        Source s = source("stories", pg.options(db, "tables", java.util.List.of("stories")));
        Path dump = dumpToFile(s);
        pg.sql(db, "DROP TABLE stories");
        restoreLog.clear();

        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(null, true));
        }

        assertThat(pg.sql(db, "SELECT count(*) FROM stories")).isEqualTo("2");
        assertThat(pg.sql(db, "SELECT conname FROM pg_constraint WHERE contype = 'f'")).isEqualTo("stories_adventure_id_fkey");
        assertThat(restoreLog).noneMatch(l -> l.contains("warning"));
    }

    @Test
    void a_dump_taken_during_concurrent_writes_is_one_consistent_snapshot() throws Exception {
        String db = pg.newDatabase("ledger");
        pg.sql(db, """
                CREATE TABLE debit (id bigserial PRIMARY KEY, amount int, pad text);
                CREATE TABLE credit (id bigserial PRIMARY KEY, amount int, pad text);
                INSERT INTO debit (amount, pad) SELECT g, repeat('x', 200) FROM generate_series(1, 100000) g;
                INSERT INTO credit (amount, pad) SELECT g, repeat('x', 200) FROM generate_series(1, 100000) g;
                """);
        Process writer = pg.session(db);
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try (OutputStream w = writer.getOutputStream()) {
                for (int i = 0; !stop.get(); i++) {
                    w.write(("BEGIN; INSERT INTO debit (amount) VALUES (" + i + "); INSERT INTO credit (amount) VALUES (" + i
                            + "); COMMIT;\n").getBytes(StandardCharsets.US_ASCII));
                    w.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        Thread.sleep(300);
        String countBefore = pg.sql(db, "SELECT count(*) FROM debit");
        Source s = source("ledger", pg.options(db));
        Path dump = dumpToFile(s);
        String countAfter = pg.sql(db, "SELECT count(*) FROM debit");
        stop.set(true);
        t.join();
        writer.waitFor();
        assertThat(Long.parseLong(countAfter)).as("the writer kept writing during the dump").isGreaterThan(Long.parseLong(countBefore));

        String target = freshTarget();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(target, false));
        }
        assertThat(pg.sql(target, "SELECT (SELECT count(*) || '/' || sum(amount) FROM debit) = (SELECT count(*) || '/' || sum(amount) FROM credit)"))
                .isEqualTo("t");
        assertThat(Long.parseLong(pg.sql(target, "SELECT count(*) FROM debit"))).isGreaterThan(100000);
    }

    @Test
    void a_wrong_password_fails_with_the_server_reason() {
        Source s = source("app", pg.options("postgres", "password", new Secret("wrong", "test")));
        assertThatThrownBy(() -> s.dump(OutputStream.nullOutputStream()))
                .hasMessageStartingWith("postgres 'app': pg_dump failed: ")
                .hasMessageContaining("password authentication failed for user \"postgres\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("wrong"));
    }

    @Test
    void dump_files_go_into_a_directory_target() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        Path dir = scratch.resolve("out");
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(dir.toString(), false));
        }
        assertThat(Files.mismatch(dir.resolve("app.pgdump"), dump)).isEqualTo(-1L);
    }
}
