package dev.caravan.service;

import dev.caravan.backup.Catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG of the newest backups, oldest on the left: stored size as bars against the left
 * axis (bytes), wall time as a line against the right axis (seconds), the backups' start times
 * along the bottom axis. No script and no style attribute, so the page's CSP needs nothing for it.
 */
final class SizeChart {
    static final int BACKUPS = 30;
    private static final int W = 760;
    private static final int H = 260;
    private static final int LEFT = 80;
    private static final int RIGHT = 60;
    private static final int TOP = 24;
    private static final int BOTTOM = 56;
    private static final int TICKS = 4;
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final DateTimeFormatter X_LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SizeChart() {
    }

    static String render(String plan, List<Catalog.Backup> newestFirst) {
        List<Catalog.Backup> list = new ArrayList<>(newestFirst.subList(0, Math.min(BACKUPS, newestFirst.size())));
        Collections.reverse(list);
        if (list.isEmpty()) {
            return "<p class=\"chart-empty\">No backups to chart yet.</p>";
        }
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        long maxSize = list.stream().mapToLong(Catalog.Backup::size).max().orElse(1);
        int unit = 0;
        while (unit < UNITS.length - 1 && maxSize / Math.pow(1024, unit) >= 1024) {
            unit++;
        }
        double perUnit = Math.pow(1024, unit);
        // round tick values in the unit the axis shows (KiB, MiB...), not in bytes
        double sizeTop = niceTop(maxSize / perUnit) * perUnit;
        double secsTop = niceTop(list.stream().mapToDouble(SizeChart::seconds).max().orElse(1));
        double step = plotW / list.size();
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" id=\"chart-").append(Html.esc(plan)).append("\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">")
                .append("<title>Plan ").append(Html.esc(plan)).append(": stored size (bars, left axis) and duration (line, right axis) of the last ")
                .append(list.size()).append(" backups</title>");
        // grid and tick labels of both value axes
        for (int i = 0; i <= TICKS; i++) {
            double y = TOP + plotH - plotH * i / TICKS;
            s.append(fmt("<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", LEFT, y, W - RIGHT, y));
            s.append(fmt("<text class=\"y-tick\" x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
                    sizeLabel(sizeTop * i / TICKS / perUnit, UNITS[unit])));
            s.append(fmt("<text class=\"y2-tick\" x=\"%d\" y=\"%.1f\" font-size=\"11\">%s</text>", W - RIGHT + 6, y + 4,
                    secondsLabel(secsTop * i / TICKS)));
        }
        StringBuilder line = new StringBuilder();
        int labelEvery = Math.max(1, (int) Math.ceil(list.size() / 6.0));
        for (int i = 0; i < list.size(); i++) {
            Catalog.Backup b = list.get(i);
            double x = LEFT + i * step;
            double bh = plotH * b.size() / sizeTop;
            s.append(fmt("<rect class=\"size\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#5b8def\"><title>%s: %s in %s</title></rect>",
                    x + step * 0.15, TOP + plotH - bh, step * 0.7, bh, Html.esc(b.id()), Html.bytes(b.size()),
                    secondsLabel(seconds(b))));
            line.append(fmt("%.1f,%.1f ", x + step / 2, TOP + plotH - plotH * seconds(b) / secsTop));
            if (i % labelEvery == 0 || i == list.size() - 1) {
                s.append(fmt("<text class=\"x-tick\" x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>", x + step / 2,
                        TOP + (int) plotH + 16, X_LABEL.format(Instant.parse(b.manifest().started()))));
            }
        }
        s.append("<polyline class=\"duration\" fill=\"none\" stroke=\"#e8710a\" stroke-width=\"2\" points=\"").append(line.toString().trim()).append("\"/>");
        // the axes themselves, drawn over the bars
        s.append(fmt("<line class=\"axis y-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, TOP, LEFT, TOP + (int) plotH));
        s.append(fmt("<line class=\"axis y2-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e8710a\"/>", W - RIGHT, TOP, W - RIGHT, TOP + (int) plotH));
        s.append(fmt("<line class=\"axis x-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, TOP + (int) plotH, W - RIGHT, TOP + (int) plotH));
        s.append(fmt("<text class=\"axis-title\" x=\"%d\" y=\"14\" font-size=\"12\">stored size</text>", 8));
        s.append(fmt("<text class=\"axis-title\" x=\"%d\" y=\"14\" font-size=\"12\" fill=\"#e8710a\" text-anchor=\"end\">duration</text>", W - 4));
        s.append(fmt("<text class=\"axis-title\" x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">backup start (UTC)</text>", LEFT + plotW / 2, H - 10));
        return s.append("</svg>").toString();
    }

    /** The smallest 1, 2 or 5 times a power of ten, split into {@link #TICKS}, that is at least {@code max}. */
    static double niceTop(double max) {
        if (max <= 0) {
            return TICKS;
        }
        double raw = max / TICKS;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * pow >= raw) {
                return m * pow * TICKS;
            }
        }
        return 10 * pow * TICKS;
    }

    private static String sizeLabel(double v, String unit) {
        return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + " " + unit;
    }

    private static String secondsLabel(double s) {
        return s >= 10 || s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    static double seconds(Catalog.Backup b) {
        return Duration.between(Instant.parse(b.manifest().started()), Instant.parse(b.manifest().finished())).toMillis() / 1000.0;
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
