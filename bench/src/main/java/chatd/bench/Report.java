package chatd.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One scenario's table: measured rows, target checks and failures (errors, lost or duplicated messages). */
final class Report {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> misses = new ArrayList<>();

    Report(String title) {
        this.title = title;
    }

    Report row(String metric, String value) {
        rows.add(new String[] {metric, value});
        return this;
    }

    Report latency(String what, Histogram h) {
        row(what + " p50 / p90 / p99 / max", String.format(Locale.ROOT, "%s / %s / %s / %s ms (n=%,d)",
                ms(h.percentile(50)), ms(h.percentile(90)), ms(h.percentile(99)), ms(h.maxMicros()), h.count()));
        return this;
    }

    Report memory(Server s) {
        long rss = s.rssKiB();
        long heap = s.heapAfterGcKiB();
        row("server RSS", rss < 0 ? "n/a" : mib(rss));
        row("server heap after GC", heap < 0 ? "n/a" : mib(heap));
        return this;
    }

    /** One server of several: its RSS and heap after GC on one row. */
    Report memory(Server s, String label) {
        return row(label + " RSS / heap after GC", mib(s.rssKiB()) + " / " + mib(s.heapAfterGcKiB()));
    }

    /** A hard failure: the run exits non-zero. */
    Report require(boolean ok, String what) {
        row("check: " + what, ok ? "ok" : "FAILED");
        if (!ok) {
            failures.add(what);
        }
        return this;
    }

    /** A performance target from issue 6: reported, not fatal unless --strict. */
    Report target(boolean met, String what) {
        row("target: " + what, met ? "met" : "MISSED");
        if (!met) {
            misses.add(what);
        }
        return this;
    }

    Report errors(Errors e) {
        row("errors", e.summary());
        return require(e.count() == 0, "no failed requests");
    }

    boolean failed() {
        return !failures.isEmpty();
    }

    boolean missed() {
        return !misses.isEmpty();
    }

    void print(PrintStream out) {
        out.println();
        out.println("### " + title);
        out.println();
        int w = "metric".length();
        for (String[] r : rows) {
            w = Math.max(w, r[0].length());
        }
        out.printf("| %-" + w + "s | %s |%n", "metric", "value");
        out.printf("|%s|%s|%n", "-".repeat(w + 2), "---");
        for (String[] r : rows) {
            out.printf("| %-" + w + "s | %s |%n", r[0], r[1]);
        }
        out.println();
        out.flush();
    }

    static String ms(long micros) {
        if (micros < 10_000) {
            return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
        }
        return String.format(Locale.ROOT, "%.0f", micros / 1000.0);
    }

    static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
