package dev.caravan.service;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The status page's small parts on their own: escaping, the restore command's quoting (run by a real sh), the chart's ticks. */
class StatusPagePartsTest {
    @Test
    void every_markup_character_is_escaped_for_text_and_both_attribute_quotes() {
        assertThat(Html.esc("<b a=\"1\" b='2'>&</b>")).isEqualTo("&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;&lt;/b&gt;");
        assertThat(Html.esc(null)).isEmpty();
    }

    @Test
    void the_restore_command_survives_the_shell_with_spaces_and_quotes_in_the_plan_path() throws Exception {
        String path = "/srv/my plans/it's.groovy";
        String line = "printf '%s\\n' " + RestoreCommand.quote(path) + " " + RestoreCommand.quote("20250315T143022Z");
        Process p = new ProcessBuilder("sh", "-c", line).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).isEqualTo(List.of(path, "20250315T143022Z"));
        assertThat(RestoreCommand.quote("/etc/caravan/backups.groovy")).as("plain words stay plain").isEqualTo("/etc/caravan/backups.groovy");
    }

    @Test
    void the_chart_axis_top_is_a_round_number_of_four_equal_ticks_at_or_above_the_maximum() {
        assertThat(SizeChart.niceTop(196)).isEqualTo(200);
        assertThat(SizeChart.niceTop(1.5)).isEqualTo(2);
        assertThat(SizeChart.niceTop(3.7)).isEqualTo(4);
        assertThat(SizeChart.niceTop(0.04)).isEqualTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SizeChart.niceTop(0)).isEqualTo(4);
        for (double max : new double[] {0.3, 7, 13, 99, 101, 850, 1023}) {
            assertThat(SizeChart.niceTop(max)).as("top for %s", max).isGreaterThanOrEqualTo(max).isLessThanOrEqualTo(max * 2.5);
        }
    }
}
