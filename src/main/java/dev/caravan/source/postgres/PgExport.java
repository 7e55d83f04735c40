package dev.caravan.source.postgres;

import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A portable export of a PostgreSQL database ({@code export 'sqlite', 'jsonl'}), stored as an extra
 * object of the same backup under the name {@code <source>-<format>}. It is for reading elsewhere,
 * not for putting the database back: a restore writes files under {@code --to DIR} and refuses to
 * go "back where it came from".
 */
abstract class PgExport implements Source {
    static final List<String> FORMATS = List.of("sqlite", "jsonl");

    protected final String name;
    protected final String who;
    protected final PgConnection connection;

    PgExport(String source, String format, PgConnection connection) {
        this.name = source + "-" + format;
        this.who = "postgres export '" + name + "'";
        this.connection = connection;
    }

    /** The export sources a postgres source's {@code export} option asks for. */
    static List<Source> of(String source, List<String> formats, PgConnection connection) {
        List<Source> extras = new ArrayList<>();
        for (String f : formats) {
            extras.add(switch (f) {
                case "sqlite" -> new PgSqliteExport(source, connection);
                case "jsonl" -> new PgJsonlExport(source, connection);
                default -> throw new IllegalArgumentException("postgres '" + source + "': unknown export '" + f
                        + "'; expected one of: " + String.join(", ", FORMATS));
            });
        }
        return extras;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toolVersion() {
        return "caravan-pg-export 1 (" + connection.database() + ")";
    }

    @Override
    public final void restore(InputStream in, RestoreRequest request) throws IOException {
        if (request.target() == null) {
            throw new IOException(who + ": an export cannot be restored back into PostgreSQL; restore it with --to DIR to get its files,"
                    + " or restore the database itself from the backup's '" + name.substring(0, name.lastIndexOf('-')) + "' object");
        }
        Path dir = Path.of(request.target());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(who + ": --to " + dir + " is not a directory");
        }
        writeFiles(in, dir, request);
    }

    /** Writes the export's files into {@code dir}. */
    abstract void writeFiles(InputStream in, Path dir, RestoreRequest request) throws IOException;
}
