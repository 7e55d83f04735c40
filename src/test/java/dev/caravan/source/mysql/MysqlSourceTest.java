package dev.caravan.source.mysql;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceContract;
import dev.caravan.testing.MariaDbServer;
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

class MysqlSourceTest extends SourceContract {
    private static MariaDbServer db;
    private String database;

    @BeforeAll
    static void startServer() throws IOException {
        db = MariaDbServer.shared();
    }

    static Source source(String name, Options options) {
        return new MysqlSourceKind().create(new SourceSpec("mysql", name, 1, options));
    }

    private String seeded() throws IOException {
        String name = db.newDatabase("shop");
        db.sql(name, """
                CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), price DECIMAL(10,2), img BLOB);
                INSERT INTO items (name, price, img) VALUES ('sword', 10.50, 0x00FF10), ('Zoë''s "shield"', 7.25, NULL),
                  ('tab\\there', 0.01, 0xDEADBEEF);
                CREATE TABLE orders (id INT PRIMARY KEY, item_id INT, qty INT, FOREIGN KEY (item_id) REFERENCES items(id));
                INSERT INTO orders VALUES (1, 1, 2), (2, 3, 5);
                CREATE VIEW expensive AS SELECT name FROM items WHERE price > 5;
                CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
                """);
        return name;
    }

    @Override
    protected Source sourceWithKnownData() throws IOException {
        database = seeded();
        return source("shop", db.options(database));
    }

    @Override
    protected String freshTarget() {
        return "restored_" + Long.toHexString(System.nanoTime());
    }

    @Override
    protected Object contents(String target) throws IOException {
        String d = target == null ? database : target;
        return db.sql(d, "SELECT id, name, price, HEX(img) FROM items ORDER BY id")
                + "\n" + db.sql(d, "SELECT * FROM orders ORDER BY id")
                + "\n" + db.sql(d, "SELECT * FROM expensive ORDER BY name")
                + "\n" + db.sql(d, "SELECT twice(21)");
    }

    @Override
    protected Source unreachableSource() throws IOException {
        return source("gone", Options.of("host", "127.0.0.1", "port", ServerProcess.freePort(), "database", "shop"));
    }

    @Override
    protected String who() {
        return "mysql 'shop'";
    }

    @Test
    void data_changed_after_the_dump_is_put_back_by_a_forced_restore() throws Exception {
        Source s = sourceWithKnownData();
        Object before = contents(null);
        Path dump = dumpToFile(s);
        db.sql(database, "UPDATE items SET price = 0; DELETE FROM orders WHERE id = 1; CREATE TABLE extra (x INT);");
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(null, true));
        }
        assertThat(contents(null)).isEqualTo(before);
        assertThat(db.sql(database, "SHOW TABLES LIKE 'extra'")).isEmpty();
    }

    @Test
    void restores_into_a_url_target() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        String target = freshTarget();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request("mysql://" + MariaDbServer.USER + ":" + MariaDbServer.PASSWORD + "@127.0.0.1:" + db.port() + "/" + target, false));
        }
        assertThat(contents(target)).isEqualTo(contents(null));
    }

    @Test
    void a_url_target_without_a_login_does_not_get_the_sources() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        String target = freshTarget();
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request("mysql://127.0.0.1:" + db.port() + "/" + target, false));
            }
        }).hasMessageContaining("Access denied")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(MariaDbServer.PASSWORD).doesNotContain(MariaDbServer.USER + "'@"));
    }

    @Test
    void a_dump_taken_during_concurrent_writes_is_one_consistent_snapshot() throws Exception {
        String name = db.newDatabase("ledger");
        db.sql(name, """
                CREATE TABLE debit (id BIGINT AUTO_INCREMENT PRIMARY KEY, amount INT, pad VARCHAR(255)) ENGINE=InnoDB;
                CREATE TABLE credit (id BIGINT AUTO_INCREMENT PRIMARY KEY, amount INT, pad VARCHAR(255)) ENGINE=InnoDB;
                INSERT INTO debit (amount, pad) SELECT seq, REPEAT('x', 200) FROM seq_1_to_100000;
                INSERT INTO credit (amount, pad) SELECT seq, REPEAT('x', 200) FROM seq_1_to_100000;
                """);
        Process writer = db.session(name);
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
        long before = Long.parseLong(db.sql(name, "SELECT COUNT(*) FROM debit"));
        Source s = source("ledger", db.options(name));
        Path dump = dumpToFile(s);
        long after = Long.parseLong(db.sql(name, "SELECT COUNT(*) FROM debit"));
        stop.set(true);
        t.join();
        writer.waitFor();
        assertThat(after).as("the writer kept writing during the dump").isGreaterThan(before);

        String target = freshTarget();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(target, false));
        }
        assertThat(db.sql(target, "SELECT CONCAT(COUNT(*), '/', SUM(amount)) FROM debit"))
                .isEqualTo(db.sql(target, "SELECT CONCAT(COUNT(*), '/', SUM(amount)) FROM credit"));
        assertThat(Long.parseLong(db.sql(target, "SELECT COUNT(*) FROM debit"))).isGreaterThan(100000);
    }

    @Test
    void a_wrong_password_fails_with_the_server_reason_and_no_password_in_sight() {
        Source s = source("shop", db.options("mysql", "password", new Secret("wrong-pw", "test")));
        assertThatThrownBy(() -> s.dump(OutputStream.nullOutputStream()))
                .hasMessageStartingWith("mysql 'shop': mariadb-dump failed: ")
                .hasMessageContaining("Access denied for user 'caravan'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("wrong-pw"));
    }
}
