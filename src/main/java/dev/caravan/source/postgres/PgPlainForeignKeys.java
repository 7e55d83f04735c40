package dev.caravan.source.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain (SQL) pg_dump, streamed line by line, without the foreign keys whose referenced table the
 * dump does not create: the plain-format counterpart of {@link PgDanglingForeignKeys}. A plain
 * restore always starts from an empty database (a forced one drops it first), so only the dump's
 * own tables count. pg_dump writes every table before the post-data section that holds the
 * constraints, each statement after a {@code -- Name: ...; Type: FK CONSTRAINT; ...} header.
 * Lines are read as ISO-8859-1, so every byte passes through unchanged whatever the dump's
 * encoding; {@link #skipped()} names what was left out once the stream is read.
 */
final class PgPlainForeignKeys extends InputStream {
    private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE (?:UNLOGGED )?TABLE (\\S+) \\($");
    private static final Pattern HEADER = Pattern.compile("^-- Name: (\\S+) (\\S+); Type: FK CONSTRAINT; Schema: ([^;]+);.*$");
    private static final Pattern REFERENCES = Pattern.compile("\\bREFERENCES\\s+([^\\s(]+)\\s*\\(");

    private final BufferedReader in;
    private final Set<String> tables = new HashSet<>();
    private final List<PgDanglingForeignKeys.Skipped> skipped = new ArrayList<>();
    private byte[] chunk = new byte[0];
    private int pos;
    private String[] pendingHeader;

    PgPlainForeignKeys(InputStream sql) {
        this.in = new BufferedReader(new InputStreamReader(sql, StandardCharsets.ISO_8859_1), 64 * 1024);
    }

    List<PgDanglingForeignKeys.Skipped> skipped() {
        return List.copyOf(skipped);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Makes the next lines available; false at the end of the dump. */
    private boolean fill() throws IOException {
        while (pos >= chunk.length) {
            String line = in.readLine();
            if (line == null) {
                return false;
            }
            chunk = next(line).getBytes(StandardCharsets.ISO_8859_1);
            pos = 0;
        }
        return true;
    }

    /** What to pass on for one line (with its newline): the line, or nothing for a dropped statement. */
    private String next(String line) throws IOException {
        Matcher table = CREATE_TABLE.matcher(line);
        if (table.matches()) {
            tables.add(table.group(1).replace("\"", ""));
            return line + "\n";
        }
        Matcher header = HEADER.matcher(line);
        if (header.matches()) {
            pendingHeader = new String[] {header.group(3), header.group(1), header.group(2)};
            return line + "\n";
        }
        if (pendingHeader != null && line.startsWith("ALTER TABLE")) {
            // the statement runs to the line ending in ';' (two lines as pg_dump writes it)
            StringBuilder statement = new StringBuilder(line).append('\n');
            String l = line;
            while (!l.endsWith(";") && (l = in.readLine()) != null) {
                statement.append(l).append('\n');
            }
            String[] h = pendingHeader;
            pendingHeader = null;
            Matcher ref = REFERENCES.matcher(statement);
            if (ref.find() && !tables.contains(ref.group(1).replace("\"", ""))) {
                skipped.add(new PgDanglingForeignKeys.Skipped(0, h[0] + "." + h[1], h[2], ref.group(1)));
                return "-- left out by caravan: the referenced table " + ref.group(1) + " is not in this backup\n";
            }
            return statement.toString();
        }
        return line + "\n";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
