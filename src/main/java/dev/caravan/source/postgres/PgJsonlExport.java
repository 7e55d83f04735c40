package dev.caravan.source.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.tool.DumpFiles;
import dev.caravan.source.tool.ScratchDir;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The database as JSON Lines: a tar of {@code <schema>.<table>.jsonl} files, one JSON object per
 * row ({@code to_jsonb}: keys are the column names; numbers exact, timestamps ISO 8601, json
 * columns nested, bytea as {@code "\\x..."} hex), every table from the same snapshot.
 */
final class PgJsonlExport extends PgExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    PgJsonlExport(String source, PgConnection connection) {
        super(source, "jsonl", connection);
    }

    @Override
    public String extension() {
        return "jsonl.tar";
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        PgCatalog catalog = PgCatalog.read(who, connection);
        try (ScratchDir tmp = ScratchDir.create("caravan-pgexport-")) {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            }, TarConstants.DEFAULT_RCDSIZE, "UTF-8");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            Spool spool = new Spool(tmp.resolve("table.jsonl"), tar);
            PgRows.read(who, connection, catalog, spool);
            spool.finishTable();
            tar.finish();
            tar.close();
        }
    }

    /** Rows of the current table go to a spool file; when the table changes, the file becomes a tar entry. */
    private static final class Spool implements PgRows.Sink {
        private final Path file;
        private final TarArchiveOutputStream tar;
        private PgCatalog.Table table;
        private OutputStream rows;

        Spool(Path file, TarArchiveOutputStream tar) {
            this.file = file;
            this.tar = tar;
        }

        @Override
        public void table(PgCatalog.Table t) throws IOException {
            finishTable();
            table = t;
            rows = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
        }

        @Override
        public void row(byte[] json, int length) throws IOException {
            rows.write(json, 0, length);
            rows.write('\n');
        }

        void finishTable() throws IOException {
            if (table == null) {
                return;
            }
            rows.close();
            TarArchiveEntry entry = new TarArchiveEntry(table.qualified() + ".jsonl");
            entry.setSize(Files.size(file));
            tar.putArchiveEntry(entry);
            Files.copy(file, tar);
            tar.closeArchiveEntry();
            table = null;
        }
    }

    @Override
    void writeFiles(InputStream in, Path dir, RestoreRequest request) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        if (!request.dryRun()) {
            Files.createDirectories(dir);
        }
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            String n = e.getName();
            if (!e.isFile() || n.contains("/") || n.startsWith(".")) {
                throw new IOException(who + ": refused entry '" + n + "': an export holds only <schema>.<table>.jsonl files");
            }
            request.log().accept(who + ": " + (request.dryRun() ? "would write " : "writing ") + dir.resolve(n));
            if (!request.dryRun()) {
                DumpFiles.write(who, new FilterInputStream(tar) {
                    @Override
                    public void close() {
                        // the next entry follows
                    }
                }, dir.resolve(n), request.force());
            }
        }
    }

    /** Parses every line of every file as a JSON object. */
    @Override
    public void readThrough(InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(tar, StandardCharsets.UTF_8));
            long read = 0;
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                read += line.getBytes(StandardCharsets.UTF_8).length + 1;
                try {
                    if (!JSON.readTree(line).isObject()) {
                        throw new IOException("not an object");
                    }
                } catch (IOException ex) {
                    throw new IOException(who + ": " + e.getName() + " line " + number + " is not a JSON object", ex);
                }
            }
            if (read != e.getSize()) {
                throw new IOException(who + ": " + e.getName() + " is truncated");
            }
        }
        in.transferTo(OutputStream.nullOutputStream());
    }
}
