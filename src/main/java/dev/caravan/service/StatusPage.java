package dev.caravan.service;

import dev.caravan.backup.Catalog;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Plan;
import dev.caravan.wal.WalLag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The status page at {@code /}: per plan its schedule and upcoming fires, RPO against
 * {@code staleAfter}, each destination's state and last failure in words, the newest backups with
 * the destinations holding a verified copy and the command that restores each, the last drills
 * with their RTO, WAL lag, and a chart of sizes and durations. Backups come from the destinations'
 * manifests ({@link Catalog}); failures, drills and WAL lag from {@link StatusHistory}.
 *
 * <p>Every value is escaped ({@link Html#esc}); the body also passes {@code Redact} in
 * {@link HttpEndpoints}, so a URL's password never shows. One inline style and one inline script
 * ({@link StatusAssets}), allowed by hash in the CSP; nothing is fetched from elsewhere.
 */
final class StatusPage {
    private static final int FIRES = 3;

    private StatusPage() {
    }

    static String render(Service service) {
        Instant now = Instant.now();
        StringBuilder b = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Caravan status</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<noscript><meta http-equiv=\"refresh\" content=\"").append(StatusAssets.REFRESH_SECONDS).append("\"></noscript>")
                .append("<style>").append(StatusAssets.STYLE).append("</style></head><body><h1>Caravan</h1>")
                .append("<p id=\"refresh-state\">Refreshes every ").append(StatusAssets.REFRESH_SECONDS).append(" s.</p>")
                .append("<main id=\"status\"><p class=\"muted\" id=\"generated\">As of ").append(Html.time(now))
                .append(" · plan file <code>").append(Html.esc(service.config().file().toAbsolutePath().toString())).append("</code></p>");
        if (service.lastRefusal() != null) {
            b.append("<p class=\"bad\" id=\"reload-refused\">The edited plan file was refused; the previous configuration keeps running:</p><pre>")
                    .append(Html.esc(service.lastRefusal())).append("</pre>");
        }
        for (Plan p : service.config().plans()) {
            plan(b, service, p, now);
        }
        return b.append("</main><script>").append(StatusAssets.SCRIPT).append("</script></body></html>\n").toString();
    }

    private static void plan(StringBuilder b, Service service, Plan p, Instant now) {
        Catalog c = service.catalog(p.name()).orElse(null);
        List<Catalog.Backup> backups = c == null ? List.of() : c.backups();
        String id = Html.esc(p.name());
        b.append("<section class=\"plan\" id=\"plan-").append(id).append("\"><h2>Plan ").append(id).append("</h2>");
        b.append("<p>Schedule: ").append(p.schedule() == null ? "none (runs with <code>now</code> only)" : "<code>" + Html.esc(p.schedule().expression()) + "</code>")
                .append(p.schedule() == null ? "" : " (" + Html.esc(p.timezone().getId()) + ")").append("</p>");
        rpo(b, p, backups, now);

        b.append("<h3>Upcoming fires</h3>");
        List<UpcomingFires.Fire> fires = UpcomingFires.of(service.engine().camel(), p.name(), FIRES);
        if (fires.isEmpty()) {
            b.append("<p class=\"muted fires-empty\">Nothing scheduled.</p>");
        } else {
            b.append("<table class=\"fires\"><thead><tr><th>when</th><th>in</th><th>what</th></tr></thead><tbody>");
            for (UpcomingFires.Fire f : fires) {
                b.append("<tr class=\"fire\"><td>").append(Html.time(f.at())).append("</td><td>")
                        .append(Html.human(Duration.between(now, f.at()).isNegative() ? Duration.ZERO : Duration.between(now, f.at())))
                        .append("</td><td>").append(Html.esc(f.what())).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }

        b.append("<h3>Destinations</h3>");
        destinations(b, service.history(), p, c);
        b.append("<h3>Backups</h3>");
        b.append(BackupsTable.render(service.config().file(), p, backups));
        b.append("<h3>Restore drills</h3>");
        b.append(DrillTable.render(p, service.history().drills(p.name())));
        b.append("<h3>WAL lag</h3>");
        wal(b, service.history().walLags(p.name()), now);
        b.append("<h3>Sizes and durations</h3>");
        b.append(SizeChart.render(p.name(), backups));
        b.append("</section>");
    }

    private static void rpo(StringBuilder b, Plan p, List<Catalog.Backup> backups, Instant now) {
        Duration stale = p.alerts().staleAfter();
        if (backups.isEmpty()) {
            b.append("<p class=\"bad rpo\">RPO: no complete backup yet (staleAfter ").append(Html.human(stale)).append(")</p>");
            return;
        }
        Duration age = Duration.between(Instant.parse(backups.get(0).manifest().finished()), now);
        boolean ok = age.compareTo(stale) <= 0;
        b.append("<p class=\"rpo ").append(ok ? "ok" : "bad").append("\">RPO: newest backup ").append(Html.human(age))
                .append(" old, staleAfter ").append(Html.human(stale)).append(ok ? " — within" : " — STALE").append("</p>");
    }

    private static void destinations(StringBuilder b, StatusHistory history, Plan p, Catalog c) {
        b.append("<table class=\"destinations\"><thead><tr><th>destination</th><th>kind</th><th>state</th><th>newest verified copy</th>")
                .append("<th>last failure</th></tr></thead><tbody>");
        for (DestinationSpec d : p.destinations()) {
            String down = c == null ? null : c.unreachable().get(d.name());
            Catalog.Backup newest = c == null ? null : c.backupsAt(d.name()).stream().findFirst().orElse(null);
            b.append("<tr class=\"destination\" data-destination=\"").append(Html.esc(d.name())).append("\"><td>").append(Html.esc(d.name()))
                    .append("</td><td>").append(Html.esc(d.kind())).append("</td><td class=\"state ")
                    .append(c == null ? "muted\">not listed yet" : down == null ? "ok\">reachable" : "bad\">unreachable: " + Html.esc(down))
                    .append("</td><td>").append(newest == null ? "-" : Html.esc(newest.id()) + " (" + Html.bytes(newest.size()) + ")")
                    .append("</td><td class=\"last-failure\">");
            StatusHistory.Failure f = history.lastFailure(p.name(), d.name()).orElse(null);
            b.append(f == null ? "<span class=\"muted\">none since the service started</span>"
                    : Html.time(f.at()) + ": " + Html.esc(f.why()));
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
    }

    private static void wal(StringBuilder b, List<WalLag> lags, Instant now) {
        if (lags.isEmpty()) {
            b.append("<p class=\"muted wal-none\">No source with <code>continuous true</code>.</p>");
            return;
        }
        b.append("<table class=\"wal\"><thead><tr><th>source</th><th>lag</th><th>pending</th><th>last archived</th><th>last archive failure</th></tr></thead><tbody>");
        for (WalLag l : lags) {
            Double s = l.secondsAt(now);
            b.append("<tr class=\"wal-lag\" data-source=\"").append(Html.esc(l.source())).append("\"><td>").append(Html.esc(l.source()))
                    .append("</td><td class=\"lag ").append(s == null ? "bad\">unknown: " + Html.esc(l.error())
                            : "\">" + String.format(Locale.ROOT, "%.1f s", s))
                    .append("</td><td>").append(l.pendingBytes() < 0 ? "-" : Html.bytes(l.pendingBytes()))
                    .append("</td><td>").append(l.lastArchived() == null ? "-" : Html.esc(l.lastArchived()) + " at " + Html.time(l.lastArchivedTime()))
                    .append("</td><td>").append(l.lastFailed() == null ? "none" : Html.esc(l.lastFailed()) + " at " + Html.time(l.lastFailedTime()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
    }
}
