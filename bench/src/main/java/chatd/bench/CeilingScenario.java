package chatd.bench;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** GET the health check as fast as possible: the HTTP stack's limit, the yardstick for the others. */
@Command(name = "ceiling", mixinStandardHelpOptions = true, description = "GET /.well-known/healthcheck.json as fast as possible")
final class CeilingScenario extends Scenario {
    @Option(names = "--connections", description = "concurrent keep-alive connections (default ${DEFAULT-VALUE})")
    int connections = 50;

    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int duration = 10;

    @Option(names = "--warmup", description = "unmeasured seconds first (default ${DEFAULT-VALUE})")
    int warmup = 15;

    /** Result of one measurement, reused by ingest for its "% of ceiling" target. */
    record Result(double rps, Histogram latency, long requests, long total) {}

    @Override
    Report run() throws Exception {
        Server server = server("ceiling", Map.of());
        CpuMeter cpu = new CpuMeter(server);
        Result r = measure(server.url, connections, warmup, duration, errors);
        Report report = new Report("ceiling — " + opts.dbLabel() + ", " + connections + " connections, " + duration + " s");
        report.row("throughput", Report.num(r.rps()) + " req/s");
        report.latency("latency", r.latency());
        cpu.report(report, r.total(), "request");
        report.memory(server);
        report.errors(errors);
        report.require(r.requests() > 0, "requests answered");
        return report;
    }

    static Result measure(URI url, int connections, int warmupSec, int durationSec, Errors errors) throws InterruptedException {
        Histogram latency = new Histogram();
        LongAdder count = new LongAdder();
        LongAdder all = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + warmupSec * 1_000_000_000L;
        long end = measureFrom + durationSec * 1_000_000_000L;
        Thread[] threads = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                try (HttpConn c = new HttpConn(url, 30_000)) {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        try {
                            HttpConn.Response r = c.get(Api.HEALTH, null);
                            long done = System.nanoTime();
                            all.increment();
                            if (r.status() != 200) {
                                errors.add("health", r);
                            } else if (now >= measureFrom) {
                                latency.recordNanos(done - now);
                                count.increment();
                            }
                        } catch (java.io.IOException e) {
                            errors.add("health", e);
                            c.close();
                        }
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Result(count.sum() / (double) durationSec, latency, count.sum(), all.sum());
    }
}
