package dev.caravan.source.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceContract;
import dev.caravan.testing.MongoTestServer;
import dev.caravan.testing.ServerProcess;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoSourceTest extends SourceContract {
    private static MongoTestServer server;
    private static MongoClient client;
    private String database;

    @BeforeAll
    static void startServer() throws IOException {
        server = MongoTestServer.start();
        client = MongoClients.create(server.uri());
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    static Source source(String name, String uri, String database, String... collections) {
        return new MongoSourceKind().create(new SourceSpec("mongo", name, 1, Options.of("uri", new Secret(uri, "test"),
                "database", database, "collections", List.of(collections))));
    }

    private static String newDatabase() {
        return "game_" + Long.toHexString(System.nanoTime());
    }

    @Override
    protected Source sourceWithKnownData() {
        database = newDatabase();
        MongoDatabase db = client.getDatabase(database);
        db.getCollection("players").insertMany(List.of(
                new Document("_id", 1).append("name", "Zoë").append("level", 12).append("joined", new Date(1_700_000_000_000L))
                        .append("gold", new Decimal128(new BigDecimal("12.50"))).append("tags", List.of("bard", "elf")),
                new Document("_id", 2).append("name", "Ragnar").append("level", 3).append("guild", null)
                        .append("stats", new Document("str", 18).append("dex", 9))));
        db.getCollection("players").createIndex(Indexes.ascending("name"), new IndexOptions().unique(true).name("by_name"));
        db.getCollection("guilds").insertOne(new Document("_id", "red").append("members", List.of(1, 2)));
        return source("game", server.uri(), database);
    }

    @Override
    protected String freshTarget() {
        return newDatabase();
    }

    @Override
    protected Object contents(String target) {
        MongoDatabase db = client.getDatabase(target == null ? database : target);
        Map<String, Object> all = new TreeMap<>();
        for (String c : db.listCollectionNames()) {
            List<String> docs = new ArrayList<>();
            db.getCollection(c).find().sort(new Document("_id", 1)).forEach(d -> docs.add(d.toJson()));
            List<String> indexes = new ArrayList<>();
            db.getCollection(c).listIndexes().forEach(i -> indexes.add(i.getString("name") + " " + i.get("key", Document.class).toJson()
                    + " unique=" + i.getBoolean("unique", false)));
            indexes.sort(null);
            all.put(c, List.of(docs, indexes));
        }
        return all;
    }

    @Override
    protected Source unreachableSource() throws IOException {
        return source("gone", "mongodb://127.0.0.1:" + ServerProcess.freePort() + "/?serverSelectionTimeoutMS=1500", "game");
    }

    @Override
    protected String who() {
        return "mongo 'game'";
    }

    @Test
    void the_dump_is_in_mongodumps_directory_layout() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        Map<String, String> entries = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(dump))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                entries.put(e.getName(), e.getName().endsWith(".json") ? new String(tar.readAllBytes()) : "");
            }
        }
        assertThat(entries).containsOnlyKeys(database + "/guilds.bson", database + "/guilds.metadata.json",
                database + "/players.bson", database + "/players.metadata.json");
        Document meta = Document.parse(entries.get(database + "/players.metadata.json"));
        assertThat(meta.getString("collectionName")).isEqualTo("players");
        assertThat(meta.getList("indexes", Document.class)).extracting(i -> i.getString("name")).contains("_id_", "by_name");
        assertThat(s.extension()).isEqualTo("mongo.tar");
    }

    @Test
    void only_the_listed_collections_are_dumped() throws Exception {
        sourceWithKnownData();
        Source s = source("game", server.uri(), database, "guilds");
        Path dump = dumpToFile(s);
        String target = freshTarget();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(target, false));
        }
        assertThat(client.getDatabase(target).listCollectionNames().into(new ArrayList<>())).containsExactly("guilds");
    }

    @Test
    void a_forced_restore_over_changed_data_puts_it_back_exactly() throws Exception {
        Source s = sourceWithKnownData();
        Object before = contents(null);
        Path dump = dumpToFile(s);
        MongoDatabase db = client.getDatabase(database);
        db.getCollection("players").deleteOne(new Document("_id", 1));
        db.getCollection("players").insertOne(new Document("_id", 3).append("name", "intruder"));
        db.getCollection("guilds").drop();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(null, true));
        }
        assertThat(contents(null)).isEqualTo(before);
    }

    @Test
    void a_uri_target_restores_into_the_database_it_names() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        String target = freshTarget();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(server.uri() + "/" + target, false));
        }
        assertThat(contents(target)).isEqualTo(contents(null));
    }

    @Test
    void a_uri_target_without_a_database_is_refused() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request(server.uri(), false));
            }
        }).hasMessageStartingWith("mongo 'game': --to ").hasMessageContaining("names no database");
    }

    @Test
    void many_documents_round_trip_in_batches() throws Exception {
        database = newDatabase();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            docs.add(new Document("_id", i).append("pad", "x".repeat(i % 300)));
        }
        client.getDatabase(database).getCollection("events").insertMany(docs);
        Source s = source("game", server.uri(), database);
        Path dump = dumpToFile(s);
        String target = freshTarget();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(target, false));
        }
        assertThat(client.getDatabase(target).getCollection("events").countDocuments()).isEqualTo(5000);
        assertThat(contents(target)).isEqualTo(contents(null));
    }
}
