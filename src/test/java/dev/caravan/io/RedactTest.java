package dev.caravan.io;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class RedactTest {
    @Test
    void masks_the_password_of_every_url_in_a_text_and_keeps_the_rest() {
        assertThat(Redact.text("restoring cache to redis://default:s3cr%40t@127.0.0.1:6379 and http://u:p/w@h/x"))
                .isEqualTo("restoring cache to redis://default:***@127.0.0.1:6379 and http://u:***@h/x");
        assertThat(Redact.text("{\"target\":\"postgresql://app:pw@db:5432/x\"}")).isEqualTo("{\"target\":\"postgresql://app:***@db:5432/x\"}");
        assertThat(Redact.text("redis://:only-pw@h")).isEqualTo("redis://:***@h");
    }

    @Test
    void leaves_urls_without_a_password_alone() {
        for (String s : new String[] {"postgresql://127.0.0.1:5432/db", "redis://default@h:1", "s3://bucket/key", "no url", "", "a: b@c"}) {
            assertThat(Redact.text(s)).isEqualTo(s);
            assertThat(Redact.hasSecret(s)).isFalse();
        }
        assertThat(Redact.text(null)).isNull();
        assertThat(Redact.text("redis://u:***@h")).isEqualTo("redis://u:***@h");
    }

    @Test
    void a_writer_masks_each_line_even_when_it_arrives_in_pieces() {
        StringWriter sink = new StringWriter();
        PrintWriter w = Redact.writer(new PrintWriter(sink));
        w.print("to redis://default:pw");
        w.print("d@host:1");
        w.println();
        w.print("done");
        w.flush();
        assertThat(sink.toString()).isEqualTo("to redis://default:***@host:1" + System.lineSeparator() + "done");
    }
}
