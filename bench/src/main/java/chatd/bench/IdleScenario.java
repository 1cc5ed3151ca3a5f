package chatd.bench;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Many idle sessions with one client each, caught up (welcome read and acknowledged): heap per session
 * after a full GC, measured against a baseline taken after a warm-up batch.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, description = "heap per idle session after GC")
final class IdleScenario extends Scenario {
    @Option(names = "--sessions", description = "idle sessions (default ${DEFAULT-VALUE})")
    int sessions = 50_000;

    @Option(names = "--concurrency", description = "concurrent creators (default ${DEFAULT-VALUE})")
    int concurrency = 32;

    @Option(names = "--warm", description = "sessions created before the baseline (default ${DEFAULT-VALUE})")
    int warm = 1000;

    @Option(names = "--unread", description = "leave the welcome unread in each queue instead of acknowledging it")
    boolean unread;

    @Override
    Report run() throws Exception {
        Server server = server("idle", Map.of());
        LongAdder welcomed = new LongAdder();
        create(server, "w", warm, new LongAdder());
        long rss0 = server.rssKiB();
        long heap0 = server.heapAfterGcKiB();
        log("baseline heap %d KiB; creating %d sessions", heap0, sessions);
        CpuMeter cpu = new CpuMeter(server);
        long t0 = System.nanoTime();
        create(server, "i", sessions, welcomed);
        double secs = seconds(System.nanoTime() - t0);
        Thread.sleep(2000); // let lazy cursor flushes settle
        long heap1 = server.heapAfterGcKiB();
        long rss1 = server.rssKiB();
        double perSession = (heap1 - heap0) * 1024.0 / sessions;
        Report report = new Report("idle — " + opts.dbLabel() + ", " + Report.num(sessions) + " idle sessions × 1 client"
                + (unread ? " (welcome unread)" : " (welcome read and acknowledged)"));
        report.row("heap after GC: baseline → loaded", Report.mib(heap0) + " → " + Report.mib(heap1));
        report.row("heap per idle session", String.format("%,.0f bytes (%.1f KiB)", perSession, perSession / 1024));
        report.row("server RSS: baseline → loaded", Report.mib(rss0) + " → " + Report.mib(rss1));
        report.row("RSS per idle session", String.format("%.1f KiB", (rss1 - rss0) / (double) sessions));
        report.row("creation", String.format("%.1f s (%s sessions/s incl. reading the welcome)", secs, Report.num(sessions / secs)));
        cpu.report(report, sessions, "session");
        report.row("welcome delivered", welcomed.sum() + " / " + sessions);
        report.errors(errors);
        report.require(welcomed.sum() == sessions, "every session got its welcome");
        report.target(perSession <= 20 * 1024, "≤ 20 KiB heap per idle session");
        return report;
    }

    private void create(Server server, String prefix, int n, LongAdder welcomed) throws Exception {
        int per = (n + concurrency - 1) / concurrency;
        parallel(concurrency, concurrency, w -> {
            try (HttpConn c = new HttpConn(server.url, 60_000)) {
                for (int i = w * per; i < Math.min(n, (w + 1) * per); i++) {
                    try {
                        Api.User u = Api.createSession(c, i, prefix + i);
                        HttpConn.Response r = c.get("/api/v1/messages?after=0&timeout=0&limit=1000", u.token);
                        String body = r.text();
                        if (!r.ok() || !body.contains("\"command\":\"001\"") || !body.contains("\"command\":\"376\"")) {
                            errors.add("welcome", r);
                            continue;
                        }
                        welcomed.increment();
                        if (!unread) {
                            long last = chatd.protocol.Json.MAPPER.readTree(r.body()).path("last_id").asLong();
                            HttpConn.Response ack = c.get("/api/v1/messages?after=" + last + "&timeout=0&limit=1", u.token);
                            if (!ack.ok()) {
                                errors.add("ack", ack);
                            }
                        }
                    } catch (IOException e) {
                        errors.add("session", e);
                        c.close();
                    }
                }
            }
        });
    }
}
