package dev.caravan.source.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The index of a {@code files} source at one backup, as JSON lines: one line per entry of the tree
 * ({@code {"path":"docs/a.txt","type":"file","size":12,"mtimeNs":...,"mode":33188,"ino":...,"ctimeNs":...}},
 * {@code "link"} for a symlink's target, {@code "sha256"} for the content of a file of at least
 * {@link TarDumper#APPEND_MIN} bytes, {@code "appendedFrom"} when this backup stored only that file's
 * bytes from there on), then one line per path deleted since the previous backup of the chain
 * ({@code {"deleted":"docs/old.txt"}}). Paths are relative to the source's path, as in the tar.
 */
public final class FileIndex {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FileIndex() {
    }

    /**
     * One entry of the tree; {@code type} is {@code file}, {@code dir} or {@code symlink}; {@code sha256}
     * (hex, or null) is the SHA-256 of the bytes the chain holds for a file.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String path, String type, long size, long mtimeNs, int mode, long ino, long ctimeNs, String link,
                        String sha256) {
        Entry(String path, String type, long size, long mtimeNs, int mode, long ino, long ctimeNs, String link) {
            this(path, type, size, mtimeNs, mode, ino, ctimeNs, link, null);
        }

        Entry withSha256(String hex) {
            return new Entry(path, type, size, mtimeNs, mode, ino, ctimeNs, link, hex);
        }

        /** Whether the entry is the same as {@code before}, so an incremental need not store it again. */
        boolean unchangedSince(Entry before) {
            return before != null && type.equals(before.type) && size == before.size && mtimeNs == before.mtimeNs
                    && mode == before.mode && ino == before.ino && ctimeNs == before.ctimeNs
                    && java.util.Objects.equals(link, before.link);
        }
    }

    /** The tree entries of an index file (deletion lines skipped), by path. */
    public static Map<String, Entry> read(Path file) throws IOException {
        Map<String, Entry> entries = new HashMap<>();
        // one streaming parser over the whole file: an index has a line per file of the tree
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonParser p = JSON.getFactory().createParser(r)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException(file + ": not a Caravan file index (a line is not a JSON object)");
                }
                Line line = line(p);
                if (line.entry != null) {
                    entries.put(line.entry.path(), line.entry);
                }
            }
        }
        return entries;
    }

    /** What one backup changed besides what its tar holds whole: deleted paths, and files stored from an offset on. */
    public record Changes(List<String> deleted, Map<String, Long> appended) {
    }

    /** One parsed line: a tree entry (with the offset its new bytes start at, or -1), or a deletion. */
    private record Line(Entry entry, long appendedFrom, String deleted) {
    }

    /** The line whose fields follow (the parser is past its '{'). */
    private static Line line(JsonParser p) throws IOException {
        String path = null;
        String type = null;
        String link = null;
        String sha256 = null;
        String deleted = null;
        long size = 0;
        long mtimeNs = 0;
        long ino = 0;
        long ctimeNs = 0;
        long appendedFrom = -1;
        int mode = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "path" -> path = p.getText();
                case "type" -> type = p.getText();
                case "link" -> link = value == JsonToken.VALUE_NULL ? null : p.getText();
                case "sha256" -> sha256 = value == JsonToken.VALUE_NULL ? null : p.getText();
                case "deleted" -> deleted = p.getText();
                case "size" -> size = p.getLongValue();
                case "mtimeNs" -> mtimeNs = p.getLongValue();
                case "mode" -> mode = p.getIntValue();
                case "ino" -> ino = p.getLongValue();
                case "ctimeNs" -> ctimeNs = p.getLongValue();
                case "appendedFrom" -> appendedFrom = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        Entry entry = path == null ? null : new Entry(path, type, size, mtimeNs, mode, ino, ctimeNs, link, sha256);
        return new Line(entry, appendedFrom, deleted);
    }

    /**
     * The deleted paths (in order) and the appended files (path to offset) an index lists. Reads the
     * stream to its end; does not close it.
     */
    public static Changes changes(InputStream in) throws IOException {
        List<String> deleted = new ArrayList<>();
        Map<String, Long> appended = new HashMap<>();
        JsonParser p = JSON.getFactory().createParser(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the caller reads on (verify) and closes
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            Line line = t == JsonToken.START_OBJECT ? line(p) : null;
            if (line == null || (line.entry == null && line.deleted == null)) {
                throw new IOException("not a Caravan file index: a line is not an entry or a deletion");
            }
            if (line.deleted != null) {
                deleted.add(line.deleted);
            } else if (line.appendedFrom >= 0) {
                appended.put(line.entry.path(), line.appendedFrom);
            }
        }
        return new Changes(deleted, appended);
    }

    /** Writes an index file line by line (one JSON generator for the whole file). */
    public static final class Writer implements Closeable {
        private final JsonGenerator out;

        public Writer(Path file) throws IOException {
            this.out = JSON.getFactory().createGenerator(new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16));
            out.setRootValueSeparator(null);
        }

        /** {@code appendedFrom}: where the bytes this backup stored of the file start (-1: whole, or not a file). */
        void entry(Entry e, long appendedFrom) throws IOException {
            out.writeStartObject();
            out.writeStringField("path", e.path());
            out.writeStringField("type", e.type());
            out.writeNumberField("size", e.size());
            out.writeNumberField("mtimeNs", e.mtimeNs());
            out.writeNumberField("mode", e.mode());
            out.writeNumberField("ino", e.ino());
            out.writeNumberField("ctimeNs", e.ctimeNs());
            if (e.link() != null) {
                out.writeStringField("link", e.link());
            }
            if (e.sha256() != null) {
                out.writeStringField("sha256", e.sha256());
            }
            if (appendedFrom >= 0) {
                out.writeNumberField("appendedFrom", appendedFrom);
            }
            out.writeEndObject();
            out.writeRaw('\n');
        }

        void deleted(String path) throws IOException {
            out.writeStartObject();
            out.writeStringField("deleted", path);
            out.writeEndObject();
            out.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
