package chatd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        LinkedPair pair = LinkedPair.start(this, Map.of(), Map.of(), linkTimeout);
        Server sa = pair.alpha();
        Server sb = pair.beta();
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
        report.memory(sa, "alpha");
        report.memory(sb, "beta");
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
}
