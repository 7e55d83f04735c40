package dev.caravan.source.postgres;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes a base.tar through unchanged and keeps a copy of its first bytes, where the server puts
 * {@code backup_label} (the first member of the main tablespace's tar); {@link #startSegment()} then
 * reads the segment the base backup starts from out of {@code START WAL LOCATION: 0/3000028 (file
 * 000000010000000000000003)}.
 */
final class LabelTap extends FilterOutputStream {
    static final int HEAD = 64 * 1024;
    private static final Pattern START = Pattern.compile("START WAL LOCATION: \\S+ \\(file ([0-9A-F]{24})\\)");

    private final byte[] head = new byte[HEAD];
    private int length;

    LabelTap(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int keep = Math.min(len, HEAD - length);
        if (keep > 0) {
            System.arraycopy(b, off, head, length, keep);
            length += keep;
        }
        out.write(b, off, len);
    }

    /** Leaves the stream under it open: the caller owns it. */
    @Override
    public void close() throws IOException {
        flush();
    }

    /** The start segment, or null when the first bytes hold no readable {@code backup_label}. */
    String startSegment() {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(Arrays.copyOf(head, length)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.getName().equals("backup_label") || e.getName().equals("./backup_label")) {
                    Matcher m = START.matcher(new String(tar.readAllBytes(), StandardCharsets.US_ASCII));
                    return m.find() ? m.group(1) : null;
                }
            }
        } catch (IOException truncated) {
            // the label lies beyond the copied head (not how the server writes base.tar): unknown
        }
        return null;
    }
}
