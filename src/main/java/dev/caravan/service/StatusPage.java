package dev.caravan.service;

import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status page: per plan its schedule and next run, RPO against {@code staleAfter}, each
 * destination's newest backup, and an inline SVG chart of sizes and durations of recent backups,
 * all from the manifests on the destinations. Plain HTML, no script, nothing fetched.
 */
final class StatusPage {
    private static final int CHART_BACKUPS = 30;

    private StatusPage() {
    }

    static String render(Service service) {
        StringBuilder b = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Caravan status</title>
                <meta http-equiv="refresh" content="30">
                <style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}
                td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.ok{color:#176f2c}.bad{color:#b00020;font-weight:bold}
                section{margin-bottom:2.5em}</style></head><body><h1>Caravan</h1>
                """);
        if (service.lastRefusal() != null) {
            b.append("<p class=\"bad\" id=\"reload-refused\">The edited plan file was refused; the previous configuration keeps running:</p><pre>")
                    .append(esc(service.lastRefusal())).append("</pre>");
        }
        Instant now = Instant.now();
        for (Plan p : service.config().plans()) {
            Catalog c = service.catalog(p.name()).orElse(null);
            List<Catalog.Backup> backups = c == null ? List.of() : c.backups();
            b.append("<section id=\"plan-").append(p.name()).append("\"><h2>Plan ").append(esc(p.name())).append("</h2>");
            b.append("<p>Schedule: ").append(p.schedule() == null ? "none (runs with <code>now</code> only)" : esc(p.schedule().expression()))
                    .append(service.nextFireTime(p.name()).map(t -> ", next run " + t).orElse("")).append("</p>");
            Duration stale = p.alerts().staleAfter();
            if (backups.isEmpty()) {
                b.append("<p class=\"bad\">RPO: no complete backup yet (staleAfter ").append(human(stale)).append(")</p>");
            } else {
                Duration age = Duration.between(Instant.parse(backups.get(0).manifest().finished()), now);
                boolean ok = age.compareTo(stale) <= 0;
                b.append("<p class=\"").append(ok ? "ok" : "bad").append("\">RPO: newest backup ").append(human(age))
                        .append(" old, staleAfter ").append(human(stale)).append(ok ? " — within" : " — STALE").append("</p>");
            }
            b.append("<table><tr><th>destination</th><th>newest backup</th><th>size</th><th>state</th></tr>");
            for (var d : p.destinations()) {
                String down = c == null ? null : c.unreachable().get(d.name());
                Catalog.Backup newest = c == null ? null : c.backupsAt(d.name()).stream().findFirst().orElse(null);
                b.append("<tr><td>").append(esc(d.name())).append("</td><td>").append(newest == null ? "-" : newest.id())
                        .append("</td><td>").append(newest == null ? "-" : bytes(newest.size())).append("</td><td class=\"")
                        .append(down == null ? "ok\">reachable" : "bad\">" + esc(down)).append("</td></tr>");
            }
            b.append("</table>");
            b.append(chart(backups));
            b.append("</section>");
        }
        return b.append("</body></html>\n").toString();
    }

    /** Sizes (bars) and durations (line) of the newest backups, oldest on the left. */
    static String chart(List<Catalog.Backup> newestFirst) {
        List<Catalog.Backup> list = new ArrayList<>(newestFirst.subList(0, Math.min(CHART_BACKUPS, newestFirst.size())));
        java.util.Collections.reverse(list);
        if (list.isEmpty()) {
            return "<p>No backups to chart yet.</p>";
        }
        int w = 640;
        int h = 200;
        int pad = 30;
        long maxSize = Math.max(1, list.stream().mapToLong(Catalog.Backup::size).max().orElse(1));
        double maxSecs = Math.max(1, list.stream().mapToDouble(StatusPage::seconds).max().orElse(1));
        double step = (w - 2.0 * pad) / list.size();
        StringBuilder s = new StringBuilder("<svg class=\"chart\" width=\"" + w + "\" height=\"" + h
                + "\" viewBox=\"0 0 " + w + " " + h + "\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">"
                + "<title>Backup sizes (bars, max " + bytes(maxSize) + ") and durations (line, max "
                + String.format(Locale.ROOT, "%.1f", maxSecs) + " s)</title>"
                + "<rect x=\"0\" y=\"0\" width=\"" + w + "\" height=\"" + h + "\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            Catalog.Backup bk = list.get(i);
            double bh = (h - 2.0 * pad) * bk.size() / maxSize;
            double x = pad + i * step;
            s.append(String.format(Locale.ROOT, "<rect class=\"size\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#5b8def\">"
                    + "<title>%s: %s</title></rect>", x + step * 0.15, h - pad - bh, step * 0.7, bh, bk.id(), bytes(bk.size())));
            double y = h - pad - (h - 2.0 * pad) * seconds(bk) / maxSecs;
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x + step / 2, y));
        }
        s.append("<polyline class=\"duration\" fill=\"none\" stroke=\"#e8710a\" stroke-width=\"2\" points=\"").append(line.toString().trim()).append("\"/>");
        s.append("<text x=\"").append(pad).append("\" y=\"18\" font-size=\"12\">size (bars, max ").append(bytes(maxSize))
                .append(") · duration (line, max ").append(String.format(Locale.ROOT, "%.1f s", maxSecs)).append(")</text>");
        return s.append("</svg>").toString();
    }

    private static double seconds(Catalog.Backup b) {
        return Duration.between(Instant.parse(b.manifest().started()), Instant.parse(b.manifest().finished())).toMillis() / 1000.0;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        if (s < 172800) {
            return s / 3600 + " h";
        }
        return s / 86400 + " d";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
