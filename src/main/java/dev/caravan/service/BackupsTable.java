package dev.caravan.service;

import dev.caravan.backup.Catalog;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Plan;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A plan's newest {@value #ROWS} complete backups: id, when, label, note, size, a column per
 * destination saying whether it holds a verified copy (a manifest is written only where every
 * object arrived and read back), and the command that restores it, with a copy button.
 */
final class BackupsTable {
    static final int ROWS = 20;

    private BackupsTable() {
    }

    static String render(Path planFile, Plan plan, List<Catalog.Backup> newestFirst) {
        if (newestFirst.isEmpty()) {
            return "<p class=\"bad backups-empty\">No complete backup yet.</p>";
        }
        StringBuilder b = new StringBuilder("<table class=\"backups\"><thead><tr><th>backup</th><th>finished</th><th>label</th><th>note</th><th>size</th>");
        for (DestinationSpec d : plan.destinations()) {
            b.append("<th class=\"holder\">").append(Html.esc(d.name())).append("</th>");
        }
        b.append("<th>restore</th></tr></thead><tbody>");
        for (Catalog.Backup k : newestFirst.subList(0, Math.min(ROWS, newestFirst.size()))) {
            String command = RestoreCommand.of(planFile, plan, k.id());
            b.append("<tr class=\"backup\" data-id=\"").append(Html.esc(k.id())).append("\"><td class=\"id\">").append(Html.esc(k.id()))
                    .append("</td><td>").append(Html.time(Instant.parse(k.manifest().finished())))
                    .append("</td><td class=\"label\">").append(Html.esc(k.manifest().label()))
                    .append("</td><td class=\"note\">").append(Html.esc(k.manifest().note()))
                    .append("</td><td class=\"size\">").append(Html.bytes(k.size())).append("</td>");
            for (DestinationSpec d : plan.destinations()) {
                boolean held = k.destinations().contains(d.name());
                b.append("<td class=\"copy-at ").append(held ? "ok" : "bad").append("\" data-destination=\"").append(Html.esc(d.name()))
                        .append("\" title=\"").append(held ? "verified copy at " : "no copy at ").append(Html.esc(d.name())).append("\">")
                        .append(held ? "✓ verified" : "✗ none").append("</td>");
            }
            b.append("<td><code class=\"cmd\">").append(Html.esc(command)).append("</code><button type=\"button\" class=\"copy\" data-copy=\"")
                    .append(Html.esc(command)).append("\" title=\"copy the restore command\">copy</button></td></tr>");
        }
        b.append("</tbody></table>");
        if (newestFirst.size() > ROWS) {
            b.append("<p class=\"muted\">").append(newestFirst.size() - ROWS).append(" older backups: <code>caravan list</code>.</p>");
        }
        return b.toString();
    }
}
