package dev.caravan.service;

import dev.caravan.drill.DrillReport;
import dev.caravan.model.Plan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A plan's last restore drills (since the service started): when, which backup, passed or why not,
 * each source's restore time, and the measured RTO (the sources restore one after another, so the
 * sum) against the plan's RTO target when it declares one.
 */
final class DrillTable {
    private DrillTable() {
    }

    /** The plan's RTO target ({@code drill { rto '15m' }}), or null when it declares none. */
    static Duration rtoTarget(Plan plan) {
        return plan.drill().rto();
    }

    static String render(Plan plan, List<DrillReport> newestFirst) {
        Duration target = rtoTarget(plan);
        StringBuilder b = new StringBuilder("<p class=\"rto-target\">RTO target: ")
                .append(target == null ? "none declared" : Html.seconds(target)).append("</p>");
        if (newestFirst.isEmpty()) {
            return b.append("<p class=\"muted drills-empty\">No restore drill since the service started")
                    .append(plan.drill().schedule() == null ? " (no <code>drill { schedule }</code>; run <code>caravan drill</code>)" : "")
                    .append(".</p>").toString();
        }
        b.append("<table class=\"drills\"><thead><tr><th>started</th><th>backup</th><th>result</th><th>restore times</th><th>RTO</th></tr></thead><tbody>");
        for (DrillReport r : newestFirst) {
            Duration rto = r.sources().stream().map(DrillReport.SourceResult::restoreTime).filter(Objects::nonNull).reduce(Duration.ZERO, Duration::plus);
            boolean restored = r.error() == null && !r.sources().isEmpty();
            b.append("<tr class=\"drill ").append(r.passed() ? "passed" : "failed").append("\"><td>").append(Html.time(r.started()))
                    .append("</td><td>").append(Html.esc(r.backupId() == null ? "-" : r.backupId()))
                    .append("</td><td class=\"").append(r.passed() ? "ok\">passed" : "bad\">failed: " + Html.esc(problem(r)))
                    .append("</td><td>").append(Html.esc(r.sources().stream()
                            .map(s -> s.source() + " " + (s.restoreTime() == null ? "-" : Html.seconds(s.restoreTime()))).collect(Collectors.joining(", "))))
                    .append("</td><td class=\"rto\">");
            if (!restored) {
                b.append("-");
            } else if (target == null) {
                b.append(Html.seconds(rto));
            } else {
                boolean within = rto.compareTo(target) <= 0;
                b.append("<span class=\"").append(within ? "ok" : "bad").append("\">").append(Html.seconds(rto))
                        .append(within ? " within " : " over ").append(Html.seconds(target)).append("</span>");
            }
            b.append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private static String problem(DrillReport r) {
        if (r.error() != null) {
            return r.error();
        }
        return r.sources().stream().filter(s -> !s.passed()).map(s -> s.source() + ": " + (s.error() != null ? s.error()
                : s.checks().stream().filter(c -> !c.passed()).map(c -> c.check() + " = " + (c.actual() == null ? c.error() : c.actual())
                        + " (" + c.expected() + ")").collect(Collectors.joining("; "))))
                .findFirst().orElse("a check failed");
    }
}
