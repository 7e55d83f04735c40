package dev.caravan.source.mongo;

/**
 * mongodump's directory layout inside the tar: {@code <db>/<collection>.bson} (the documents, one
 * BSON document after another) and {@code <db>/<collection>.metadata.json} (indexes, options), so
 * that {@code tar -x} then {@code mongorestore --dir .} reads it.
 */
final class MongoLayout {
    static final String BSON = ".bson";
    static final String METADATA = ".metadata.json";

    private MongoLayout() {
    }

    static String bson(String db, String collection) {
        return db + "/" + collection + BSON;
    }

    static String metadata(String db, String collection) {
        return db + "/" + collection + METADATA;
    }

    /** The collection an entry belongs to, or null when the entry is neither kind of file. */
    static String collection(String entryName) {
        String file = entryName.substring(entryName.lastIndexOf('/') + 1);
        if (file.endsWith(METADATA)) {
            return file.substring(0, file.length() - METADATA.length());
        }
        if (file.endsWith(BSON)) {
            return file.substring(0, file.length() - BSON.length());
        }
        return null;
    }
}
