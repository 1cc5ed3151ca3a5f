package chatd.bench;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two linked servers (FEDERATION_PEERS both ways, one shared FEDERATION_KEY): senders on A, receivers
 * on B, all in #bench. Measures messages relayed A→B per second and A-POST-to-B-delivery latency, and
 * checks that every B member got every message A acknowledged, once.
 */
@Command(name = "federation", mixinStandardHelpOptions = true, description = "two linked servers, senders on A, receivers on B")
final class FederationScenario extends Scenario {
    @Option(names = "--senders", description = "closed-loop senders on A (default ${DEFAULT-VALUE})")
    int senders = 20;

    @Option(names = "--rate", description = "messages per second from all senders together; 0 = as fast as acks come back "
            + "(the throughput target); 2000 measures latency at the target rate (default ${DEFAULT-VALUE})")
    double rate = 0;

    @Option(names = "--receivers", description = "long-polling members on B (default ${DEFAULT-VALUE})")
    int receivers = 10;

    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int duration = 20;

    @Option(names = "--warmup", description = "unmeasured seconds first (default ${DEFAULT-VALUE})")
    int warmup = 60;

    @Option(names = "--link-timeout", description = "seconds to wait for the link to come up (default ${DEFAULT-VALUE})")
    int linkTimeout = 30;

    @Option(names = "--poll-timeout", description = "long-poll timeout in seconds (default ${DEFAULT-VALUE})")
    int pollTimeout = 15;

    @Override
    Report run() throws Exception {
        if (opts.url != null) {
            throw new Unavailable("federation: needs to start both servers itself (no --url)");
        }
        String key = UUID.randomUUID().toString();
        Server.Launch a0 = Server.launch(opts, "alpha", dir, newDatabase("alpha"), Map.of());
        Server.Launch b0 = Server.launch(opts, "beta", dir, newDatabase("beta"), Map.of());
        Server.Launch a = withEnv(a0, key, "beta=http://127.0.0.1:" + b0.port());
        Server.Launch b = withEnv(b0, key, "alpha=http://127.0.0.1:" + a0.port());
        Server sa = spawn(a);
        Server sb = start(b);
        sa.awaitHealthy(120_000);
        String why = awaitLink(sa, "beta");
        if (why == null) {
            why = awaitLink(sb, "alpha");
        }
        if (why != null) {
            throw new Unavailable("federation unavailable: " + why);
        }
        Api.User[] onB = sessions(sb.url, "r", receivers, 16);
        for (Api.User u : onB) {
            u.join("#bench");
        }
        Api.User[] onA = sessions(sa.url, "s", senders, 16);
        for (Api.User u : onA) {
            u.join("#bench");
        }
        Histogram delivery = new Histogram();
        List<Thread> pollThreads = new ArrayList<>();
        List<Receiver> rs = receivers(sb.url, onB, pollTimeout, delivery, errors, pollThreads);

        // The channel is linked once a probe from A reaches every member on B.
        Acked[] acked = new Acked[senders + 1];
        for (int i = 0; i <= senders; i++) {
            acked[i] = new Acked();
        }
        long probeDeadline = System.currentTimeMillis() + linkTimeout * 1000L;
        int probe = 0;
        while (rs.stream().anyMatch(r -> r.delivered() == 0)) {
            if (System.currentTimeMillis() > probeDeadline) {
                settle(rs, pollThreads, r -> 0, 0);
                throw new Unavailable("federation unavailable: the link is up but a message from alpha never reached beta's #bench");
            }
            HttpConn.Response r = onA[0].privmsg("#bench", payload(senders, probe));
            if (r.ok()) {
                acked[senders].add(probe);
            }
            probe++;
            Thread.sleep(500);
        }

        Histogram ack = new Histogram();
        LongAdder measured = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        CpuMeter cpuA = new CpuMeter(sa, measureFrom);
        CpuMeter cpuB = new CpuMeter(sb, measureFrom);
        rs.forEach(r -> r.measureFrom(measureFrom));
        log("sending from %d senders on alpha for %d + %d s", senders, warmup, duration);
        pacedSenders(sa.url, onA, s -> "#bench", acked, ack, measured, errors, measureFrom, end, rate);
        long sendEnd = System.nanoTime();
        long total = 0;
        for (Acked x : acked) {
            total += x.count();
        }
        long expected = total;
        settle(rs, pollThreads, r -> expected, 120_000);
        cpuA.stop();
        cpuB.stop();
        long lastDelivery = 0;
        for (Receiver r : rs) {
            lastDelivery = Math.max(lastDelivery, r.lastDeliveryNanos());
        }
        long lost = 0;
        for (Receiver r : rs) {
            for (int s = 0; s <= senders; s++) {
                lost += r.missing(s, acked[s].snapshot());
            }
        }
        long dups = sum(rs, Receiver::duplicates);
        double relayed = delivery.count() / (double) receivers / duration;
        Report report = new Report("federation — " + opts.dbLabel() + ", alpha → beta, " + senders + " senders on alpha"
                + (rate > 0 ? " open loop at " + Report.num(rate) + " msgs/s" : "") + ", " + receivers
                + " members on beta in #bench, " + duration + " s (+" + warmup + " s warm-up)");
        report.row("throughput", Report.num(measured.sum() / (double) duration) + " acked msgs/s on alpha, "
                + Report.num(relayed) + " relayed msgs/s delivered on beta");
        report.latency("A POST → B delivery", delivery);
        report.latency("ack latency on A", ack);
        report.row("beta caught up after the last send", String.format("%.2f s", Math.max(0, seconds(lastDelivery - sendEnd))));
        cpuA.report(report, measured.sum(), "message", "alpha", false);
        cpuB.report(report, measured.sum(), "message", "beta", true);
        report.row("alpha RSS / heap after GC", Report.mib(sa.rssKiB()) + " / " + Report.mib(sa.heapAfterGcKiB()));
        report.row("beta RSS / heap after GC", Report.mib(sb.rssKiB()) + " / " + Report.mib(sb.heapAfterGcKiB()));
        pollAnswers(report, rs);
        report.row("lost / duplicated / dropped", lost + " / " + dups + " / " + sum(rs, Receiver::dropped));
        report.errors(errors);
        report.require(lost == 0, "every beta member got every message alpha acked");
        report.require(dups == 0, "no message delivered twice");
        // Throughput is the closed loop's; latency is judged at the target rate, not at the saturation a closed loop drives to.
        if (rate <= 0) {
            report.target(relayed >= 2000, "≥ 2,000 relayed msgs/s");
        } else {
            report.target(rate >= 2000 && relayed >= 0.99 * rate, "kept up with " + Report.num(rate) + " msgs/s (target rate: 2,000)");
            report.target(delivery.percentile(99) <= 100_000, "A-to-B p99 ≤ 100 ms at that rate");
        }
        return report;
    }

    private static Server.Launch withEnv(Server.Launch l, String key, String peers) {
        Map<String, String> env = new java.util.LinkedHashMap<>(l.env());
        env.putIfAbsent("FEDERATION_POLICY", "allowlist");
        env.put("FEDERATION_KEY", key);
        env.put("FEDERATION_PEERS", peers);
        return new Server.Launch(l.name(), l.jar(), l.dir(), l.dbUrl(), l.port(), env, l.jvmOpts(), l.jfr());
    }

    /** Waits until {@code server} reports {@code peer} up; answers null, or why not. */
    private String awaitLink(Server server, String peer) throws InterruptedException {
        long deadline = System.currentTimeMillis() + linkTimeout * 1000L;
        String last = "no answer";
        try (HttpConn c = new HttpConn(server.url, 10_000)) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    HttpConn.Response r = c.get("/api/v1/federation/status", null);
                    if (r.status() == 404) {
                        return server.name + " has no /api/v1/federation/status (404): federation is not built into this server yet";
                    }
                    if (r.ok()) {
                        for (JsonNode p : Json.MAPPER.readTree(r.body()).path("peers")) {
                            if (peer.equals(p.path("name").asText()) && "up".equals(p.path("state").asText())) {
                                return null;
                            }
                        }
                        last = r.text();
                    } else {
                        last = r.status() + " " + r.text();
                    }
                } catch (IOException e) {
                    last = e.toString();
                    c.close();
                }
                Thread.sleep(200);
            }
        }
        return "link " + server.name + "→" + peer + " not up after " + linkTimeout + " s (status: " + last + ")";
    }
}
