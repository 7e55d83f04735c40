package dev.caravan.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandoffOutputStreamTest {

    @Test
    void every_byte_arrives_in_order_and_downstream_is_closed() throws IOException {
        byte[] data = new byte[5_000_003];
        new Random(1).nextBytes(data);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        boolean[] closed = {false};
        OutputStream downstream = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sink.write(b, off, len);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (HandoffOutputStream out = new HandoffOutputStream(downstream, "t", 3, 4096)) {
            Random r = new Random(2);
            int i = 0;
            while (i < data.length) {
                int n = Math.min(data.length - i, r.nextInt(10_000));
                if (n == 1) {
                    out.write(data[i]);
                } else {
                    out.write(data, i, n);
                }
                i += n;
            }
        }
        assertThat(sink.toByteArray()).isEqualTo(data);
        assertThat(closed[0]).isTrue();
    }

    @Test
    void a_downstream_failure_reaches_the_writer_instead_of_blocking_it() {
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> {
            try (HandoffOutputStream out = new HandoffOutputStream(failing, "t", 2, 1024)) {
                byte[] chunk = new byte[1000];
                for (int i = 0; i < 10_000; i++) {
                    out.write(chunk);
                }
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("disk full");
    }
}
