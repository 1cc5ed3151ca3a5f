package chatd.bench;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Session creations per second (POST /api/v1/session, closed loop), then a delivery check: a sample of
 * the new sessions must each find their welcome (001 … 376) in their queue.
 */
@Command(name = "logins", mixinStandardHelpOptions = true, description = "session creations per second")
final class LoginsScenario extends Scenario {
    @Option(names = "--concurrency", description = "concurrent creators (default ${DEFAULT-VALUE})")
    int concurrency = 32;

    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int duration = 10;

    @Option(names = "--warmup", description = "unmeasured seconds first (default ${DEFAULT-VALUE})")
    int warmup = 15;

    @Option(names = "--check", description = "sessions whose welcome is checked afterwards (default ${DEFAULT-VALUE})")
    int check = 500;

    @Override
    Report run() throws Exception {
        Server server = server("logins", Map.of());
        CpuMeter cpu = new CpuMeter(server);
        Histogram latency = new Histogram();
        LongAdder measured = new LongAdder();
        LongAdder created = new LongAdder();
        ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        Thread[] threads = new Thread[concurrency];
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            threads[w] = Thread.ofVirtual().start(() -> {
                try (HttpConn c = new HttpConn(server.url, 60_000)) {
                    int n = 0;
                    long t0;
                    while ((t0 = System.nanoTime()) < end) {
                        try {
                            Api.User u = Api.createSession(c, n, "l" + worker + "x" + n);
                            created.increment();
                            if (t0 >= measureFrom) {
                                latency.recordNanos(System.nanoTime() - t0);
                                measured.increment();
                            }
                            if (tokens.size() < check) {
                                tokens.add(u.token);
                            }
                        } catch (IOException e) {
                            errors.add("session", e);
                            c.close();
                        }
                        n++;
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        int welcomed = 0;
        try (HttpConn c = new HttpConn(server.url, 60_000)) {
            for (String token : tokens) {
                HttpConn.Response r = c.get("/api/v1/messages?after=0&timeout=0&limit=1000", token);
                String body = r.text();
                if (r.ok() && body.contains("\"command\":\"001\"") && body.contains("\"command\":\"376\"")) {
                    welcomed++;
                } else {
                    errors.add("welcome", r);
                }
            }
        }
        double rate = measured.sum() / (double) duration;
        Report report = new Report("logins — " + opts.dbLabel() + ", " + concurrency + " concurrent POST /api/v1/session, " + duration
                + " s (+" + warmup + " s warm-up)");
        report.row("throughput", Report.num(rate) + " sessions/s");
        report.latency("latency", latency);
        cpu.report(report, created.sum(), "session");
        report.memory(server);
        report.row("welcome delivered (sample)", welcomed + " / " + tokens.size());
        report.errors(errors);
        report.require(welcomed == tokens.size() && !tokens.isEmpty(), "every sampled session got its welcome");
        report.target(rate >= 1000, "≥ 1,000 sessions/s");
        return report;
    }
}
