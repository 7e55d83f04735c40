package dev.caravan.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.io.Redact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json}: how one run went, saved beside its {@code manifest.json} (after it) on every
 * destination that could still be reached, also when the run failed there. It is only a record for
 * people: listing, restore and retention go by the manifest alone, and a folder without a manifest
 * stays incomplete (its report is removed with it).
 *
 * @param format       {@value #FORMAT}
 * @param plan         plan name
 * @param id           the backup id
 * @param label        {@code manual}, {@code scheduled}, {@code pre-restore}, or the operator's
 * @param note         the operator's note, or null
 * @param outcome      {@code ok}, {@code partial} (some destinations hold a complete copy) or {@code failed}
 * @param started      ISO-8601 instant
 * @param finished     ISO-8601 instant
 * @param durationMillis wall time of the run
 * @param sources      per source: object, stored bytes, dump bytes, SHA-256, error
 * @param destinations per destination: {@code ok}, or why it holds no complete copy
 * @param retention    one line per pruned or cleaned-up backup
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(String format, String plan, String id, String label, String note, String outcome,
                        String started, String finished, long durationMillis, List<Source> sources,
                        Map<String, String> destinations, List<String> retention) {
    public static final String FORMAT = "caravan-report/1";
    public static final String FILE = "report.json";
    public static final String OK = "ok";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String name, String object, long bytes, long dumpBytes, String sha256, String error) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The object key of a backup's report. */
    public static String key(String plan, String id) {
        return Layout.object(plan, id, FILE);
    }

    public void write(OutputStream out) throws IOException {
        out.write(Redact.text(JSON.writeValueAsString(this)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static RunReport read(InputStream in) throws IOException {
        return JSON.readValue(in, RunReport.class);
    }
}
