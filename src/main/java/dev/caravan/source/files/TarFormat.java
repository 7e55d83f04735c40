package dev.caravan.source.files;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;

/** Reading side helpers shared by restore and verify. */
final class TarFormat {
    private static final int BUFFER = 256 * 1024;
    /** The directory an incremental's tar keeps the new bytes of grown files under (see {@link TarDumper}). */
    static final String APPEND_DIR = ".caravan-append";
    /** Prefix of those entries' names: {@code .caravan-append/REL} holds what was added to the end of {@code REL}. */
    static final String APPENDED = APPEND_DIR + "/";

    private TarFormat() {
    }

    static TarArchiveInputStream open(InputStream in) {
        return new TarArchiveInputStream(in, "UTF-8");
    }

    /** Parses every header and reads every byte; fails on a damaged or truncated archive. */
    static long readThrough(InputStream in) throws IOException {
        TarArchiveInputStream tar = open(in);
        byte[] buffer = new byte[BUFFER];
        long entries = 0;
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            long read = 0;
            int n;
            while ((n = tar.read(buffer)) > 0) {
                read += n;
            }
            if (!entry.isDirectory() && read != entry.getSize() && entry.isFile()) {
                throw new IOException("tar entry " + entry.getName() + " is truncated: " + read + " of " + entry.getSize() + " bytes");
            }
            entries++;
        }
        drain(in);
        return entries;
    }

    /**
     * Reads what follows the end-of-archive blocks, so that the layers below (age's last chunk, the
     * compressor's checksum) are read to their end and verified.
     */
    static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (in.read(buffer) >= 0) {
            // padding only
        }
    }
}
