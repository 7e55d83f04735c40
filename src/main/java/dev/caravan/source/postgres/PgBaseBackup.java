package dev.caravan.source.postgres;

import dev.caravan.source.RestoreRequest;
import dev.caravan.source.tool.Tool;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A physical copy of a whole PostgreSQL cluster for continuous archiving ({@code continuous true}):
 * {@code pg_basebackup --format=tar --wal-method=fetch -D -} streams {@code base.tar} (with the WAL
 * needed to make it consistent) to stdout; a restore unpacks it into an empty data directory.
 * Together with the archived WAL ({@code caravan wal-push}) it can be rolled forward to any moment.
 */
final class PgBaseBackup {
    static final String EXTENSION = "pgbase.tar";

    private final String who;
    private final PgConnection connection;
    private String startSegment;

    PgBaseBackup(String who, PgConnection connection) {
        this.who = who;
        this.connection = connection;
    }

    String toolVersion() {
        return Tool.find("pg_basebackup").map(Tool::version).orElse("pg_basebackup (not installed)");
    }

    /** One tablespace only: {@code -D -} refuses clusters with extra tablespaces, and says so. */
    void dump(OutputStream out) throws IOException {
        Path tool = Tool.require(who, PostgresSource.HINT, "pg_basebackup");
        List<String> cmd = new ArrayList<>(List.of(tool.toString()));
        cmd.addAll(connection.args());
        cmd.addAll(List.of("--pgdata=-", "--format=tar", "--wal-method=fetch", "--checkpoint=fast", "--no-manifest"));
        startSegment = null;
        LabelTap tap = new LabelTap(out);
        connection.run(who, cmd).stdout(tap).run();
        startSegment = tap.startSegment();
    }

    /** The WAL segment the last {@link #dump} starts from, read from its backup_label; null when unknown. */
    String startSegment() {
        return startSegment;
    }

    /** Unpacks base.tar into the directory {@code --to} names; refuses a non-empty one and anything else. */
    void restore(InputStream in, RestoreRequest request) throws IOException {
        if (request.target() == null || request.target().contains("://")) {
            throw new IOException(who + ": a base backup restores into a new data directory, not into a running server;"
                    + " restore it with --to DIR, then start it with pg_ctl -D DIR start");
        }
        Path dir = Path.of(request.target()).toAbsolutePath();
        if (Files.isDirectory(dir) && !isEmpty(dir) && !request.force()) {
            throw new IOException(who + ": " + dir + " is not empty; a data directory must start empty (--force to unpack over it)");
        }
        request.log().accept(who + ": " + (request.dryRun() ? "would unpack" : "unpacking") + " the base backup into " + dir);
        if (request.dryRun()) {
            in.transferTo(OutputStream.nullOutputStream());
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        unpack(in, dir);
    }

    private void unpack(InputStream in, Path dir) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        int files = 0;
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            Path p = dir.resolve(e.getName()).normalize();
            if (!p.startsWith(dir)) {
                throw new IOException(who + ": entry '" + e.getName() + "' escapes the target directory");
            }
            if (e.isDirectory()) {
                Files.createDirectories(p);
            } else if (e.isSymbolicLink()) {
                throw new IOException(who + ": entry '" + e.getName() + "' is a symbolic link (a tablespace?); only single-tablespace clusters are supported");
            } else if (e.isFile()) {
                Files.createDirectories(p.getParent());
                Files.copy(tar, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                files++;
            }
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(e.isDirectory() ? "rwx------" : "rw-------"));
        }
        if (files == 0 || !Files.exists(dir.resolve("PG_VERSION"))) {
            throw new IOException(who + ": the archive has no PG_VERSION: not a pg_basebackup base.tar");
        }
    }

    /** Reads the tar through and checks that it is a cluster (used by {@code verify --deep}). */
    void readThrough(InputStream in) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        boolean version = false;
        boolean label = false;
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            version |= e.getName().equals("PG_VERSION");
            label |= e.getName().equals("backup_label");
            tar.transferTo(OutputStream.nullOutputStream());
        }
        if (!version || !label) {
            throw new IOException(who + ": the base backup lacks " + (version ? "backup_label" : "PG_VERSION"));
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
