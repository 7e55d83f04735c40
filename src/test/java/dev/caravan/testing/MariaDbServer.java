package dev.caravan.testing;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A MariaDB 10.11 server on 127.0.0.1 from a private data directory under target/, shared by every
 * test in the JVM. Account {@link #USER}/{@link #PASSWORD} from 127.0.0.1 with all privileges;
 * root only through the server's socket.
 */
public final class MariaDbServer {
    public static final String USER = "caravan";
    public static final String PASSWORD = "maria-test-pw";
    private static MariaDbServer shared;

    private final int port;
    private final Path socket;
    private final ServerProcess process;

    private MariaDbServer(int port, Path socket, ServerProcess process) {
        this.port = port;
        this.socket = socket;
        this.process = process;
    }

    public static synchronized MariaDbServer shared() throws IOException {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::close));
        }
        return shared;
    }

    private static MariaDbServer start() throws IOException {
        Path dir = Commands.dataDir("mariadb");
        Path data = dir.resolve("data");
        Path socket = dir.resolve("mysqld.sock");
        Commands.run(List.of("chown", "mysql:mysql", dir.toString()), Map.of(), null);
        Commands.run(List.of("mariadb-install-db", "--no-defaults", "--user=mysql", "--datadir=" + data,
                "--auth-root-authentication-method=socket", "--skip-test-db"), Map.of(), null);
        int port = ServerProcess.freePort();
        ServerProcess p = ServerProcess.start("mariadb", List.of("mariadbd", "--no-defaults", "--user=mysql",
                        "--datadir=" + data, "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1",
                        "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
                        "--pid-file=" + dir.resolve("mysqld.pid")),
                dir, dir.resolve("mariadb.log"), port, Duration.ofSeconds(60));
        MariaDbServer server = new MariaDbServer(port, socket, p);
        server.rootSql("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "';"
                + " GRANT ALL ON *.* TO '" + USER + "'@'127.0.0.1' WITH GRANT OPTION;");
        return server;
    }

    public int port() {
        return port;
    }

    private String rootSql(String sql) throws IOException {
        return Commands.run(List.of("mariadb", "--no-defaults", "--socket=" + socket, "-u", "root", "--batch",
                "--skip-column-names"), Map.of(), sql).trim();
    }

    /** Runs SQL in {@code database} (null: none) and returns the tab-separated rows. */
    public String sql(String database, String sql) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("mariadb", "--no-defaults", "--socket=" + socket, "-u", "root",
                "--batch", "--skip-column-names", "--default-character-set=utf8mb4"));
        if (database != null) {
            cmd.add("--database=" + database);
        }
        return Commands.run(cmd, Map.of(), sql).trim();
    }

    public String newDatabase(String prefix) throws IOException {
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        sql(null, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return name;
    }

    /** A client process reading SQL from stdin, for writers that keep one session open. */
    public Process session(String database) throws IOException {
        return new ProcessBuilder("mariadb", "--no-defaults", "--socket=" + socket, "-u", "root", "--database=" + database)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    public Options options(String database, Object... more) {
        Object[] base = {"host", "127.0.0.1", "port", port, "user", USER, "password", new Secret(PASSWORD, "test"),
                "database", database};
        Object[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Options.of(all);
    }
}
