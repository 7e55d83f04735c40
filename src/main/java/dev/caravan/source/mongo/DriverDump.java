package dev.caravan.source.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import dev.caravan.source.tool.ScratchDir;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.Binary;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Dumps a database through the Java driver in mongodump's layout: each collection's documents are
 * streamed as raw BSON to a spool file (a tar entry needs its size up front), then written to the
 * tar after its metadata JSON. Views and system collections are left out, as mongodump does.
 */
final class DriverDump {
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private final MongoClient client;
    private final String database;
    private final List<String> only;

    DriverDump(MongoClient client, String database, List<String> only) {
        this.client = client;
        this.database = database;
        this.only = only;
    }

    void write(TarArchiveOutputStream tar, ScratchDir tmp) throws IOException {
        MongoDatabase db = client.getDatabase(database);
        List<Document> collections = new ArrayList<>();
        for (Document info : db.listCollections()) {
            String name = info.getString("name");
            boolean wanted = only.isEmpty() ? !name.startsWith("system.") : only.contains(name);
            if (wanted && !"view".equals(info.getString("type"))) {
                collections.add(info);
            }
        }
        collections.sort((a, b) -> a.getString("name").compareTo(b.getString("name")));
        for (Document info : collections) {
            String name = info.getString("name");
            MongoTar.putBytes(tar, MongoLayout.metadata(database, name), metadata(db, info).getBytes(StandardCharsets.UTF_8));
            Path spool = tmp.resolve("collection.bson");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 256 * 1024);
                 MongoCursor<RawBsonDocument> docs = db.getCollection(name, RawBsonDocument.class).find().batchSize(1000).iterator()) {
                while (docs.hasNext()) {
                    ByteBuffer bytes = docs.next().getByteBuffer().asNIO();
                    if (bytes.hasArray()) {
                        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                    } else {
                        byte[] b = new byte[bytes.remaining()];
                        bytes.get(b);
                        out.write(b);
                    }
                }
            }
            TarArchiveEntry entry = new TarArchiveEntry(MongoLayout.bson(database, name));
            entry.setSize(Files.size(spool));
            tar.putArchiveEntry(entry);
            Files.copy(spool, tar);
            tar.closeArchiveEntry();
            Files.delete(spool);
        }
    }

    /** What mongodump writes: indexes (without the legacy {@code ns}), options, collection name, type, UUID. */
    private static String metadata(MongoDatabase db, Document info) {
        String name = info.getString("name");
        List<Document> indexes = new ArrayList<>();
        for (Document index : db.getCollection(name).listIndexes()) {
            index.remove("ns");
            indexes.add(index);
        }
        Document meta = new Document("indexes", indexes)
                .append("options", info.get("options", new Document()))
                .append("collectionName", name)
                .append("type", "collection");
        Document idInfo = info.get("info", Document.class);
        if (idInfo != null && idInfo.get("uuid") instanceof Binary b && b.getType() == BsonBinarySubType.UUID_STANDARD.getValue()) {
            meta.append("uuid", hex(b.getData()));
        }
        return meta.toJson(JSON);
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
