package dev.caravan.source.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.caravan.model.DrillSpec;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;

import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A temporary database {@code caravan_drill_<random>} on the source's own MongoDB server; a check
 * names a collection and measures its document count; closing drops the database.
 */
final class MongoScratch implements Scratch {
    private final String uri;
    private final String database = "caravan_drill_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    MongoScratch(SourceSpec spec) {
        this.uri = spec.options().string("uri", "mongodb://localhost:27017");
    }

    @Override
    public String target() {
        return database;
    }

    @Override
    public long measure(DrillSpec.Check check) throws IOException {
        try (MongoClient client = MongoClients.create(uri)) {
            return client.getDatabase(database).getCollection(check.query()).countDocuments();
        } catch (RuntimeException e) {
            throw new IOException("check '" + check.what() + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try (MongoClient client = MongoClients.create(uri)) {
            client.getDatabase(database).drop();
        } catch (RuntimeException e) {
            throw new IOException("cannot drop the drill database " + database + ": " + e.getMessage(), e);
        }
    }
}
