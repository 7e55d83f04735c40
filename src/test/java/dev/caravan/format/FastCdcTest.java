package dev.caravan.format;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chunker's cuts: within bounds, whole, independent of write sizes, and resynchronising after a change. */
class FastCdcTest {
    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<byte[]> chunks(byte[] data, int writeSize) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (FastCdc cdc = new FastCdc((buf, off, len) -> out.add(Arrays.copyOfRange(buf, off, off + len)))) {
            for (int i = 0; i < data.length; i += writeSize) {
                cdc.write(data, i, Math.min(writeSize, data.length - i));
            }
        }
        return out;
    }

    private static Set<String> hashes(List<byte[]> chunks) {
        Set<String> s = new HashSet<>();
        chunks.forEach(c -> s.add(Arrays.hashCode(c) + ":" + c.length));
        return s;
    }

    @Test
    void chunks_join_to_the_input_and_stay_within_bounds_around_the_average() throws IOException {
        byte[] data = random(12 << 20, 1);
        List<byte[]> chunks = chunks(data, 1 << 16);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            joined.write(c);
        }
        assertThat(joined.toByteArray()).isEqualTo(data);
        for (int i = 0; i < chunks.size() - 1; i++) {
            assertThat(chunks.get(i).length).isBetween(FastCdc.MIN, FastCdc.MAX);
        }
        double avg = (double) data.length / chunks.size();
        assertThat(avg).isBetween(FastCdc.AVG * 0.6, FastCdc.AVG * 1.6);
    }

    @Test
    void the_cuts_do_not_depend_on_how_the_stream_is_written() throws IOException {
        byte[] data = random(5 << 20, 2);
        List<byte[]> big = chunks(data, 1 << 20);
        List<byte[]> small = chunks(data, 777);
        List<byte[]> whole = chunks(data, data.length);
        assertThat(small).hasSameSizeAs(big);
        for (int i = 0; i < big.size(); i++) {
            assertThat(small.get(i)).isEqualTo(big.get(i));
            assertThat(whole.get(i)).isEqualTo(big.get(i));
        }
    }

    @Test
    void an_insertion_changes_only_the_chunks_around_it() throws IOException {
        byte[] data = random(8 << 20, 3);
        byte[] changed = new byte[data.length + 100];
        int at = 4 << 20;
        System.arraycopy(data, 0, changed, 0, at);
        System.arraycopy(random(100, 4), 0, changed, at, 100);
        System.arraycopy(data, at, changed, at + 100, data.length - at);
        Set<String> before = hashes(chunks(data, 1 << 16));
        List<byte[]> after = chunks(changed, 1 << 16);
        long fresh = after.stream().filter(c -> !before.contains(Arrays.hashCode(c) + ":" + c.length)).count();
        assertThat(fresh).isBetween(1L, 2L);
    }

    @Test
    void repetitive_input_is_cut_at_the_maximum_and_an_empty_stream_has_no_chunk() throws IOException {
        List<byte[]> zeros = chunks(new byte[5 << 20], 4096);
        assertThat(zeros).hasSize(3);
        assertThat(zeros.get(0)).hasSize(FastCdc.MAX);
        assertThat(chunks(new byte[0], 1)).isEmpty();
        assertThat(chunks(new byte[] {1, 2, 3}, 1)).hasSize(1);
    }

    @Test
    void sizes_must_be_ordered_with_a_power_of_two_average() {
        assertThatThrownBy(() -> new FastCdc((b, o, l) -> { }, 1000, 3000, 8000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FastCdc((b, o, l) -> { }, 5000, 4096, 8000)).isInstanceOf(IllegalArgumentException.class);
    }
}
