package dev.caravan.source.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code "link"} for a symlink's target), then one line per path deleted since the previous backup
 * of the chain ({@code {"deleted":"docs/old.txt"}}). Paths are relative to the source's path, as in the tar.
 */
public final class FileIndex {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FileIndex() {
    }

    /** One entry of the tree; {@code type} is {@code file}, {@code dir} or {@code symlink}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String path, String type, long size, long mtimeNs, int mode, long ino, long ctimeNs, String link) {
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
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.has("path")) {
                    Entry e = JSON.treeToValue(n, Entry.class);
                    entries.put(e.path(), e);
                }
            }
        }
        return entries;
    }

    /** The deleted paths an index lists, in order. Reads the stream to its end; does not close it. */
    public static List<String> deletions(InputStream in) throws IOException {
        List<String> deleted = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if (n == null || !(n.has("path") || n.has("deleted"))) {
                throw new IOException("not a Caravan file index line: " + line);
            }
            if (n.has("deleted")) {
                deleted.add(n.get("deleted").asText());
            }
        }
        return deleted;
    }

    /** Writes an index file line by line. */
    public static final class Writer implements Closeable {
        private final java.io.Writer out;

        public Writer(Path file) throws IOException {
            this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
        }

        void entry(Entry e) throws IOException {
            line(JSON.writeValueAsString(e));
        }

        void deleted(String path) throws IOException {
            line(JSON.writeValueAsString(Map.of("deleted", path)));
        }

        private void line(String json) throws IOException {
            out.write(json);
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
