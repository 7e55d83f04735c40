package dev.caravan.source.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.bson.Document;
import org.bson.RawBsonDocument;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a dump in mongodump's layout (from any database directory in the tar) and writes it into
 * one database through the driver: a collection's options when it is created, its documents in
 * batches, its indexes (other than {@code _id_}) once all documents are in. Also used, with a null
 * database, to read a dump through and check every document.
 */
final class ArchiveRestore {
    private static final int BATCH_DOCS = 1000;
    private static final int BATCH_BYTES = 8 * 1024 * 1024;

    private final String who;
    private final MongoDatabase db;
    private final Consumer<String> log;
    private final Map<String, Document> metadata = new LinkedHashMap<>();
    private long documents;

    /** {@code db} null: only parse and check. */
    ArchiveRestore(String who, MongoDatabase db, Consumer<String> log) {
        this.who = who;
        this.db = db;
        this.log = log;
    }

    void restore(InputStream raw) throws IOException {
        Counting in = new Counting(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        TarArchiveEntry entry;
        long dataEnd = 0;
        while ((entry = nextEntry(tar)) != null) {
            dataEnd = in.count + (entry.getSize() + 511) / 512 * 512;
            String collection = entry.isFile() ? MongoLayout.collection(entry.getName()) : null;
            if (collection == null) {
                continue;
            }
            if (entry.getName().endsWith(MongoLayout.METADATA)) {
                Document meta = readMetadata(tar, entry);
                metadata.put(collection, meta);
                createCollection(collection, meta);
            } else {
                long n = readDocuments(tar, entry, collection);
                documents += n;
                log.accept(who + ": " + (db == null ? "read " : "restored ") + n + " documents of " + collection);
            }
        }
        byte[] rest = new byte[64 * 1024];
        while (in.read(rest) >= 0) {
            // tar padding; lets the layers below check their trailers
        }
        if (in.count < dataEnd + 1024) {
            throw new IOException(who + ": the dump is truncated (it ends after " + in.count + " bytes, without the tar end-of-archive blocks)");
        }
        for (Map.Entry<String, Document> m : metadata.entrySet()) {
            createIndexes(m.getKey(), m.getValue());
        }
    }

    private TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw new IOException(who + ": the dump is not a readable tar: " + e.getMessage(), e);
        }
    }

    /** Bytes taken from the stream under the tar, to find where the last entry ends. */
    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            count += s;
            return s;
        }
    }

    long documents() {
        return documents;
    }

    private Document readMetadata(TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
        byte[] json = readFully(tar, entry);
        try {
            return Document.parse(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(who + ": " + entry.getName() + " is not valid metadata JSON: " + e.getMessage(), e);
        }
    }

    private void createCollection(String name, Document meta) {
        Document options = meta.get("options", Document.class);
        if (db == null || options == null || options.isEmpty()) {
            return;
        }
        Document create = new Document("create", name);
        create.putAll(options);
        db.runCommand(create);
    }

    private void createIndexes(String name, Document meta) {
        if (db == null) {
            return;
        }
        List<Document> indexes = new ArrayList<>();
        for (Document index : meta.getList("indexes", Document.class, List.of())) {
            if (!"_id_".equals(index.getString("name"))) {
                Document copy = new Document(index);
                copy.remove("v");
                copy.remove("ns");
                indexes.add(copy);
            }
        }
        if (!indexes.isEmpty()) {
            db.runCommand(new Document("createIndexes", name).append("indexes", indexes));
            log.accept(who + ": created " + indexes.size() + " indexes on " + name);
        }
    }

    /** Reads length-prefixed BSON documents; inserts them in batches. */
    private long readDocuments(TarArchiveInputStream tar, TarArchiveEntry entry, String name) throws IOException {
        MongoCollection<RawBsonDocument> target = db == null ? null : db.getCollection(name, RawBsonDocument.class);
        List<RawBsonDocument> batch = new ArrayList<>();
        long batchBytes = 0;
        long count = 0;
        long left = entry.getSize();
        byte[] head = new byte[4];
        while (left > 0) {
            readExactly(tar, head, 0, 4, entry);
            int size = (head[0] & 0xff) | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16 | (head[3] & 0xff) << 24;
            if (size < 5 || size > 48 * 1024 * 1024 || size > left) {
                throw new IOException(who + ": " + entry.getName() + " is damaged: a document claims " + size + " bytes");
            }
            byte[] doc = new byte[size];
            System.arraycopy(head, 0, doc, 0, 4);
            readExactly(tar, doc, 4, size - 4, entry);
            RawBsonDocument raw = new RawBsonDocument(doc);
            try {
                raw.size();
            } catch (RuntimeException e) {
                throw new IOException(who + ": " + entry.getName() + " is damaged: " + e.getMessage(), e);
            }
            left -= size;
            count++;
            if (target != null) {
                batch.add(raw);
                batchBytes += size;
                if (batch.size() >= BATCH_DOCS || batchBytes >= BATCH_BYTES) {
                    target.insertMany(batch);
                    batch.clear();
                    batchBytes = 0;
                }
            }
        }
        if (target != null && !batch.isEmpty()) {
            target.insertMany(batch);
        }
        return count;
    }

    private byte[] readFully(TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
        if (entry.getSize() > 64 * 1024 * 1024) {
            throw new IOException(who + ": " + entry.getName() + " is implausibly large for metadata");
        }
        byte[] b = new byte[(int) entry.getSize()];
        readExactly(tar, b, 0, b.length, entry);
        return b;
    }

    private void readExactly(InputStream in, byte[] b, int off, int len, TarArchiveEntry entry) throws IOException {
        try {
            int done = 0;
            while (done < len) {
                int n = in.read(b, off + done, len - done);
                if (n < 0) {
                    throw new IOException(who + ": " + entry.getName() + " is truncated");
                }
                done += n;
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(who + ": ")) {
                throw e;
            }
            throw new IOException(who + ": " + entry.getName() + " is truncated or damaged: " + e.getMessage(), e);
        }
    }
}
