package dev.caravan.format;

import dev.caravan.testing.StockTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressorsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "gzip", "xz", "bzip2"})
    void our_output_decompresses_with_the_stock_tool(String name) throws Exception {
        Compressor c = Compressors.get(name);
        Path plain = TestData.write(dir.resolve("plain"), 1);
        Path packed = dir.resolve("plain." + c.extension());
        try (OutputStream out = c.compress(Files.newOutputStream(packed), c.defaultLevel(), 2)) {
            Files.copy(plain, out);
        }
        Path back = dir.resolve("back");
        StockTools.run(List.of(name, "-d", "-c", packed.toString()), null, back);
        assertThat(Files.mismatch(plain, back)).isEqualTo(-1L);
        assertThat(Files.size(packed)).isLessThan(Files.size(plain));
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "gzip", "xz", "bzip2"})
    void stock_tool_output_decompresses_with_ours(String name) throws Exception {
        Compressor c = Compressors.get(name);
        Path plain = TestData.write(dir.resolve("plain"), 2);
        Path packed = dir.resolve("plain." + c.extension());
        StockTools.run(List.of(name, "-c", plain.toString()), null, packed);
        Path back = dir.resolve("back");
        try (InputStream in = c.decompress(Files.newInputStream(packed))) {
            Files.copy(in, back);
        }
        assertThat(Files.mismatch(plain, back)).isEqualTo(-1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "gzip", "xz", "bzip2"})
    void concatenated_stock_streams_are_read_through(String name) throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "first part\n");
        Path b = Files.writeString(dir.resolve("b"), "second part\n");
        Path packed = dir.resolve("ab");
        Path pa = dir.resolve("pa");
        Path pb = dir.resolve("pb");
        StockTools.run(List.of(name, "-c", a.toString()), null, pa);
        StockTools.run(List.of(name, "-c", b.toString()), null, pb);
        Files.write(packed, Files.readAllBytes(pa));
        Files.write(packed, Files.readAllBytes(pb), java.nio.file.StandardOpenOption.APPEND);
        try (InputStream in = Compressors.get(name).decompress(Files.newInputStream(packed))) {
            assertThat(new String(in.readAllBytes())).isEqualTo("first part\nsecond part\n");
        }
    }

    @Test
    void none_passes_bytes_through() throws Exception {
        Compressor c = Compressors.get("none");
        Path packed = dir.resolve("x");
        try (OutputStream out = c.compress(Files.newOutputStream(packed), 0, 0)) {
            out.write("as is".getBytes());
        }
        assertThat(Files.readString(packed)).isEqualTo("as is");
        assertThat(c.extension()).isEmpty();
    }

    @Test
    void unknown_name_lists_the_known_ones() {
        assertThatThrownBy(() -> Compressors.get("lz4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown compression 'lz4'; expected one of: zstd, gzip, xz, bzip2, none");
    }

    @Test
    void level_out_of_range_is_refused() {
        assertThatThrownBy(() -> Compressors.get("gzip").compress(OutputStream.nullOutputStream(), 12, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gzip: level 12 is out of range 1..9");
    }

    @Test
    void tool_versions_name_the_library_and_its_version() {
        assertThat(Compressors.get("zstd").toolVersion()).isEqualTo("zstd-jni 1.5.7-4");
        assertThat(Compressors.get("xz").toolVersion()).isEqualTo("xz-java 1.10");
        assertThat(Compressors.get("bzip2").toolVersion()).isEqualTo("commons-compress 1.28.0");
    }
}
