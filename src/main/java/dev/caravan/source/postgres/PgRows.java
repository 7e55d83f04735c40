package dev.caravan.source.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Every row of every table of a {@link PgCatalog} as one JSON object per line ({@code to_jsonb}),
 * read by one psql session inside one repeatable-read, read-only transaction, so all tables come
 * from the same snapshot. psql fetches 1000 rows at a time (FETCH_COUNT), so memory stays flat.
 */
final class PgRows {

    interface Sink {
        /** The rows that follow belong to {@code table}. */
        void table(PgCatalog.Table table) throws IOException;

        /** One row, as a JSON object (UTF-8, no newline). */
        void row(byte[] json, int length) throws IOException;
    }

    private PgRows() {
    }

    static void read(String who, PgConnection connection, PgCatalog catalog, Sink sink) throws IOException {
        StringBuilder script = new StringBuilder("\\set FETCH_COUNT 1000\nBEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n");
        for (int i = 0; i < catalog.tables().size(); i++) {
            // a marker line before each table's rows; a row always starts with '{'
            script.append("SELECT '#").append(i).append("';\n");
            script.append("SELECT to_jsonb(t)::text FROM ").append(catalog.tables().get(i).sql()).append(" t;\n");
        }
        script.append("COMMIT;\n");
        List<String> cmd = PgCatalog.psql(who, connection);
        cmd.add("--file=-");
        LineSplitter lines = new LineSplitter(catalog.tables(), sink);
        connection.run(who, cmd).env("PGCLIENTENCODING", "UTF8")
                .stdin(new java.io.ByteArrayInputStream(script.toString().getBytes(StandardCharsets.UTF_8)))
                .stdout(lines).run();
        lines.flushLine();
    }

    /** Cuts psql's output into lines as it arrives and routes them to the sink. */
    private static final class LineSplitter extends OutputStream {
        private final List<PgCatalog.Table> tables;
        private final Sink sink;
        private byte[] line = new byte[64 * 1024];
        private int length;

        LineSplitter(List<PgCatalog.Table> tables, Sink sink) {
            this.tables = tables;
            this.sink = sink;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    flushLine();
                } else {
                    if (length == line.length) {
                        line = Arrays.copyOf(line, line.length * 2);
                    }
                    line[length++] = b[i];
                }
            }
        }

        void flushLine() throws IOException {
            if (length == 0) {
                return;
            }
            if (line[0] == '#') {
                sink.table(tables.get(Integer.parseInt(new String(line, 1, length - 1, StandardCharsets.US_ASCII))));
            } else if (line[0] == '{') {
                sink.row(line, length);
            }
            length = 0;
        }
    }
}
