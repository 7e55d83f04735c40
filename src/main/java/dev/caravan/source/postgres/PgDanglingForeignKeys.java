package dev.caravan.source.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The foreign keys of a pg_dump archive that cannot be restored because the table they reference
 * is neither in the archive nor in the target: a dump of {@code tables 'stories'} holds the
 * constraint {@code stories_adventure_id_fkey} but not the table {@code adventures} it points at,
 * and pg_restore stops on {@code relation "public.adventures" does not exist}. Read from the
 * archive's table of contents ({@code pg_restore --list}) and its post-data SQL (which says what
 * each constraint references); {@link #listWithout} writes the table of contents with those entries
 * commented out, for {@code pg_restore --use-list}.
 */
final class PgDanglingForeignKeys {
    /** {@code 3176; 2606 16393 FK CONSTRAINT public stories stories_adventure_id_fkey owner}. */
    private static final Pattern TOC = Pattern.compile("^(\\d+); \\d+ \\d+ (TABLE|FK CONSTRAINT) (\\S+) (.*)$");
    /** {@code -- Name: stories stories_adventure_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: x}. */
    private static final Pattern HEADER = Pattern.compile("^-- Name: (.+); Type: FK CONSTRAINT; Schema: ([^;]+);.*$");
    private static final Pattern REFERENCES = Pattern.compile("\\bREFERENCES\\s+([^\\s(]+)\\s*\\(");

    /** One constraint left out: {@code constraint} on {@code table} references the absent {@code references}. */
    record Skipped(int dumpId, String table, String constraint, String references) {
        String describe() {
            return constraint + " on " + table + " (references " + references + ")";
        }
    }

    private PgDanglingForeignKeys() {
    }

    /**
     * @param toc      the output of {@code pg_restore --list}
     * @param postData the output of {@code pg_restore --section=post-data --file=...}
     * @param inTarget whether a table (as the SQL names it, e.g. {@code public.adventures}) already
     *                 exists in the target database
     */
    static List<Skipped> find(String toc, Path postData, Predicate<String> inTarget) throws IOException {
        Set<String> tables = new HashSet<>();
        Map<String, Integer> fkIds = new LinkedHashMap<>();
        for (String line : toc.lines().toList()) {
            Matcher m = TOC.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String[] rest = m.group(4).split(" ");
            if (m.group(2).equals("TABLE")) {
                tables.add(m.group(3) + "." + rest[0]);
            } else if (rest.length >= 2) {
                fkIds.put(m.group(3) + "|" + rest[0] + " " + rest[1], Integer.parseInt(m.group(1)));
            }
        }
        List<Skipped> skipped = new ArrayList<>();
        if (fkIds.isEmpty()) {
            return skipped;
        }
        try (BufferedReader r = Files.newBufferedReader(postData, StandardCharsets.UTF_8)) {
            String key = null;
            for (String line; (line = r.readLine()) != null; ) {
                Matcher h = HEADER.matcher(line);
                if (h.matches()) {
                    key = h.group(2) + "|" + h.group(1);
                    continue;
                }
                Matcher ref = key == null ? null : REFERENCES.matcher(line);
                if (ref != null && ref.find()) {
                    String referenced = ref.group(1);
                    Integer id = fkIds.get(key);
                    String schema = key.substring(0, key.indexOf('|'));
                    String[] tag = key.substring(key.indexOf('|') + 1).split(" ", 2);
                    if (id != null && !tables.contains(referenced.replace("\"", "")) && !inTarget.test(referenced)) {
                        skipped.add(new Skipped(id, schema + "." + tag[0], tag[1], referenced));
                    }
                    key = null;
                }
            }
        }
        return skipped;
    }

    /** The table of contents with the skipped entries commented out ({@code ;}), for {@code --use-list}. */
    static String listWithout(String toc, List<Skipped> skipped) {
        Set<String> ids = new HashSet<>();
        skipped.forEach(s -> ids.add(Integer.toString(s.dumpId())));
        StringBuilder out = new StringBuilder();
        for (String line : toc.lines().toList()) {
            int semi = line.indexOf(';');
            boolean skip = semi > 0 && ids.contains(line.substring(0, semi));
            out.append(skip ? ";" : "").append(line).append('\n');
        }
        return out.toString();
    }
}
