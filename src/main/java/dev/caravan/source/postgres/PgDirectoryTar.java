package dev.caravan.source.postgres;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A pg_dump directory-format dump (a flat folder: toc.dat and one file per table) as a POSIX tar
 * stream, so it travels as one object and unpacks with stock {@code tar -x}.
 */
final class PgDirectoryTar {

    private PgDirectoryTar() {
    }

    static void write(Path dir, OutputStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        TarArchiveOutputStream tar = new TarArchiveOutputStream(CloseShieldOutputStream.wrap(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Path f : files) {
            TarArchiveEntry e = new TarArchiveEntry(f, f.getFileName().toString());
            tar.putArchiveEntry(e);
            Files.copy(f, tar);
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.close();
    }

    /** Unpacks into {@code dir}; refuses anything but plain files with plain names. */
    static void read(String who, InputStream in, Path dir) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        int count = 0;
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            String n = e.getName();
            if (!e.isFile() || n.contains("/") || n.equals("..") || n.equals(".") || n.isEmpty()) {
                throw new IOException(who + ": unexpected entry '" + n + "' in a pg_dump directory archive");
            }
            Files.copy(tar, dir.resolve(n));
            count++;
        }
        if (!Files.exists(dir.resolve("toc.dat"))) {
            throw new IOException(who + ": the directory archive has no toc.dat (" + count + " entries): not a pg_dump directory dump");
        }
    }
}
