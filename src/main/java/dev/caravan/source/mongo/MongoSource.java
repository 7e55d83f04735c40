package dev.caravan.source.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.SecretFile;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A MongoDB database as a tar in mongodump's directory layout. With {@code mongodump} on PATH it
 * makes the files (the URI, which may hold a password, goes through a private --config file, never
 * the command line); otherwise the Java driver writes the same layout. Restores always go through
 * the driver, into the configured database or the one {@code --to} names.
 */
public final class MongoSource implements Source {
    private final String name;
    private final String who;
    private final MongoConnection connection;
    private final String database;
    private final List<String> collections;

    public MongoSource(String name, Options options) {
        this.name = name;
        this.who = "mongo '" + name + "'";
        this.connection = new MongoConnection(who, options.string("uri", MongoConnection.DEFAULT_URI));
        this.database = options.string("database").orElseThrow();
        this.collections = options.strings("collections");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String extension() {
        return "mongo.tar";
    }

    @Override
    public String toolVersion() {
        return mongodump().map(Tool::version)
                .orElseGet(() -> "mongodb-driver-sync " + Optional.ofNullable(MongoClient.class.getPackage().getImplementationVersion())
                        .orElse(com.mongodb.internal.build.MongoDriverVersion.VERSION));
    }

    private static Optional<java.nio.file.Path> mongodump() {
        return Tool.find("mongodump");
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        try (ScratchDir tmp = ScratchDir.create("caravan-mongo-")) {
            TarArchiveOutputStream tar = MongoTar.open(out);
            Optional<java.nio.file.Path> tool = mongodump();
            if (tool.isPresent()) {
                dumpWithTool(tool.get(), tmp);
                MongoTar.putTree(tar, tmp.resolve("out"));
            } else {
                try (MongoClient client = connection.open()) {
                    new DriverDump(client, database, collections).write(tar, tmp);
                } catch (MongoException e) {
                    throw connection.failure("dump of database " + database, e);
                }
            }
            tar.finish();
            tar.close();
        }
    }

    private void dumpWithTool(java.nio.file.Path tool, ScratchDir tmp) throws IOException {
        List<List<String>> runs = new ArrayList<>();
        List<String> base = List.of(tool.toString(), "--quiet", "--db=" + database, "--out=" + tmp.resolve("out"));
        if (collections.isEmpty()) {
            runs.add(base);
        }
        for (String c : collections) {
            List<String> cmd = new ArrayList<>(base);
            cmd.add("--collection=" + c);
            runs.add(cmd);
        }
        try (SecretFile config = SecretFile.create("caravan-mongodump-", "uri: \"" + connection.uri().getConnectionString() + "\"\n")) {
            for (List<String> run : runs) {
                List<String> cmd = new ArrayList<>(run);
                cmd.add("--config=" + config.path());
                ToolRun.of(who, cmd).run();
            }
        }
    }

    /**
     * Without {@code --to}: into {@code database} on the configured server. {@code --to NAME}: into
     * database NAME there; {@code --to mongodb://host:port/NAME}: into NAME on that server. A target
     * holding any of the dump's collections (any collection at all, without force) is refused unless
     * {@code force}; with force, the dump's collections are dropped first, as mongorestore --drop does.
     */
    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        MongoConnection target = connection;
        String targetDb = database;
        if (request.target() != null && request.target().startsWith("mongodb")) {
            target = new MongoConnection(who, request.target());
            targetDb = target.uri().getDatabase();
            if (targetDb == null || targetDb.isEmpty()) {
                throw new IOException(who + ": --to " + target.hosts() + " names no database; write mongodb://host:port/DATABASE");
            }
        } else if (request.target() != null) {
            targetDb = request.target();
        }
        try (MongoClient client = target.open()) {
            MongoDatabase db = client.getDatabase(targetDb);
            List<String> existing = db.listCollectionNames().into(new ArrayList<>());
            existing.removeIf(c -> c.startsWith("system."));
            if (!existing.isEmpty() && !request.force()) {
                throw new IOException(who + ": database " + targetDb + " at " + target.hosts() + " is not empty (" + existing.size()
                        + " collections); restore with --force to drop the dumped collections and replace them");
            }
            request.log().accept(who + ": " + (request.dryRun() ? "would restore" : "restoring") + " into database " + targetDb + " at " + target.hosts());
            if (request.dryRun()) {
                new ArchiveRestore(who, null, request.log()).restore(in);
                return;
            }
            if (request.force()) {
                for (String c : existing) {
                    if (collections.isEmpty() || collections.contains(c)) {
                        db.getCollection(c).drop();
                    }
                }
            }
            new ArchiveRestore(who, db, request.log()).restore(in);
        } catch (MongoException e) {
            throw target.failure("restore into database " + targetDb, e);
        }
    }

    /** Parses the tar and every BSON document in it. */
    @Override
    public void readThrough(InputStream in) throws IOException {
        new ArchiveRestore(who, null, line -> { }).restore(in);
    }
}
