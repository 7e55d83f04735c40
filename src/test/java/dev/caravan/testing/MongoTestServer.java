package dev.caravan.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.caravan.source.tool.Tool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A MongoDB server on 127.0.0.1 for the tests: a real {@code mongod} when one is on PATH, otherwise
 * mongo-java-server's in-memory backend in this JVM (wire-compatible; no MongoDB server package is
 * reachable from this machine). The in-memory server claims MongoDB 4.2 (wire version 8), the
 * oldest the 5.x driver accepts.
 */
public final class MongoTestServer implements AutoCloseable {
    private static final MongoVersion V4_2 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 2, 0);
        }

        @Override
        public int getWireVersion() {
            return 8;
        }
    };

    private final String uri;
    private final MongoServer memory;
    private final ServerProcess process;

    private MongoTestServer(String uri, MongoServer memory, ServerProcess process) {
        this.uri = uri;
        this.memory = memory;
        this.process = process;
    }

    public static MongoTestServer start() throws IOException {
        Optional<Path> mongod = Tool.find("mongod");
        if (mongod.isPresent()) {
            Path dir = Commands.dataDir("mongo");
            int port = ServerProcess.freePort();
            ServerProcess p = ServerProcess.start("mongod", List.of(mongod.get().toString(), "--port", String.valueOf(port),
                    "--bind_ip", "127.0.0.1", "--dbpath", dir.toString()), dir, dir.resolve("mongod.log"), port, Duration.ofSeconds(60));
            return new MongoTestServer("mongodb://127.0.0.1:" + port, null, p);
        }
        MongoServer server = new MongoServer(new MemoryBackend().version(V4_2));
        server.bind("127.0.0.1", ServerProcess.freePort());
        String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
        return new MongoTestServer(uri, server, null);
    }

    /** {@code mongodb://127.0.0.1:PORT}, without a database. */
    public String uri() {
        return uri;
    }

    public boolean inMemory() {
        return memory != null;
    }

    @Override
    public void close() {
        if (memory != null) {
            memory.shutdownNow();
        }
        if (process != null) {
            process.close();
        }
    }
}
