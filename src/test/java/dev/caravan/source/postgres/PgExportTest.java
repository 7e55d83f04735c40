package dev.caravan.source.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgExportTest {
    private static PostgresServer pg;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws IOException {
        pg = PostgresServer.shared();
    }

    private Source seededWithExports(String... formats) throws IOException {
        String db = pg.newDatabase("exp");
        pg.sql(db, """
                CREATE SCHEMA game;
                CREATE TABLE game.characters (id int PRIMARY KEY, name text, born timestamptz, gold numeric(12,2),
                    alive boolean, notes text, attrs json, raw bytea, score double precision);
                INSERT INTO game.characters VALUES
                  (1, 'Zoë "Q" O''Neil', '2024-05-06 07:08:09.5+00', 12345678.90, true, E'two\\nlines', '{"str": 18, "tags": ["a", "b"]}', '\\x00ff', 1.5),
                  (2, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL);
                CREATE TABLE public.empty (x int);
                """);
        Map<String, Object> o = new LinkedHashMap<>(pg.options(db).asMap());
        o.put("export", List.of(formats));
        return new PostgresSourceKind().create(new SourceSpec("postgres", "app", 1, new Options(o)));
    }

    private Path dump(Source s) throws IOException {
        Path f = tmp.resolve(s.name() + "." + s.extension());
        try (OutputStream out = Files.newOutputStream(f)) {
            s.dump(out);
        }
        try (InputStream in = Files.newInputStream(f)) {
            s.readThrough(in);
        }
        return f;
    }

    private static void restore(Source s, Path dump, String to) throws IOException {
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, new RestoreRequest(to, false, false, l -> { }));
        }
    }

    @Test
    void the_export_option_adds_one_named_extra_per_format() throws IOException {
        assertThat(seededWithExports("sqlite", "jsonl").extras()).extracting(Source::name).containsExactly("app-sqlite", "app-jsonl");
        assertThatThrownBy(() -> seededWithExports("csv")).hasMessageContaining("unknown export 'csv'");
    }

    @Test
    void the_sqlite_export_holds_every_row_with_its_type() throws Exception {
        Source sqlite = seededWithExports("sqlite").extras().get(0);
        Path out = tmp.resolve("out");
        restore(sqlite, dump(sqlite), out.toString());
        Path file;
        try (var files = Files.list(out)) {
            file = files.findFirst().orElseThrow();
        }
        assertThat(file.getFileName().toString()).endsWith(".sqlite");
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, typeof(id), name, born, gold, typeof(gold), alive, typeof(alive), notes,"
                     + " attrs, hex(raw), score, typeof(score) FROM \"game.characters\" ORDER BY id")) {
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= 13; i++) {
                    r.add(rs.getString(i));
                }
                rows.add(String.join("|", r));
            }
            try (ResultSet e = st.executeQuery("SELECT count(*) FROM \"public.empty\"")) {
                assertThat(e.getInt(1)).isZero();
            }
        }
        assertThat(rows).containsExactly(
                "1|integer|Zoë \"Q\" O'Neil|2024-05-06T07:08:09.5+00:00|12345678.90|text|1|integer|two\nlines|{\"str\":18,\"tags\":[\"a\",\"b\"]}|00FF|1.5|real",
                "2|integer|null|null|null|null|0|integer|null|null||null|null");
    }

    @Test
    void the_jsonl_export_has_one_file_per_table_and_one_object_per_row() throws Exception {
        Source jsonl = seededWithExports("jsonl").extras().get(0);
        Path out = tmp.resolve("out");
        restore(jsonl, dump(jsonl), out.toString());
        assertThat(out.resolve("public.empty.jsonl")).isEmptyFile();
        List<String> lines = Files.readAllLines(out.resolve("game.characters.jsonl"));
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("id").intValue()).isEqualTo(1);
        assertThat(first.get("name").textValue()).isEqualTo("Zoë \"Q\" O'Neil");
        assertThat(first.get("born").textValue()).isEqualTo("2024-05-06T07:08:09.5+00:00");
        assertThat(first.get("gold").decimalValue()).isEqualByComparingTo("12345678.90");
        assertThat(first.get("alive").booleanValue()).isTrue();
        assertThat(first.get("notes").textValue()).isEqualTo("two\nlines");
        assertThat(first.get("attrs").get("tags").get(1).textValue()).isEqualTo("b");
        assertThat(first.get("raw").textValue()).isEqualTo("\\x00ff");
        JsonNode second = json.readTree(lines.get(1));
        assertThat(second.get("name").isNull()).isTrue();
        assertThat(second.get("alive").booleanValue()).isFalse();
    }

    @Test
    void restoring_an_export_back_where_it_came_from_is_refused() throws Exception {
        Source jsonl = seededWithExports("jsonl").extras().get(0);
        Path dump = dump(jsonl);
        assertThatThrownBy(() -> restore(jsonl, dump, null))
                .hasMessageStartingWith("postgres export 'app-jsonl': an export cannot be restored back into PostgreSQL");
    }
}
