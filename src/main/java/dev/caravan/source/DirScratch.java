package dev.caravan.source;

import dev.caravan.model.DrillSpec;
import dev.caravan.source.tool.ScratchDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A temporary directory: files sources restore their tree into it, other kinds write their dump
 * file there ({@code --to DIR}), which proves it decrypts and decompresses. Counts regular files.
 */
public final class DirScratch implements Scratch {
    private final ScratchDir dir;

    public DirScratch() throws IOException {
        this.dir = ScratchDir.create("caravan-drill-");
    }

    @Override
    public String target() {
        return dir.path().toString();
    }

    @Override
    public long measure(DrillSpec.Check check) throws IOException {
        if (!check.files()) {
            throw new IOException("check '" + check.what() + "': this source restores to a directory; only files: true works here");
        }
        try (Stream<Path> all = Files.walk(dir.path())) {
            return all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).count();
        }
    }

    @Override
    public void close() throws IOException {
        dir.close();
    }
}
