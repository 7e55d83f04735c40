package dev.caravan.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A few MiB of mixed data: random bytes (incompressible) then repetitive text. */
final class TestData {
    private TestData() {
    }

    static Path write(Path file, long seed) throws IOException {
        Random random = new Random(seed);
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[64 * 1024];
            for (int i = 0; i < 16; i++) {
                random.nextBytes(block);
                out.write(block);
            }
            for (int i = 0; i < 40_000; i++) {
                out.write(("line " + i + " of the caravan test text, value " + random.nextInt(1000) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }
}
