package chatd.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop senders, each PRIVMSGing into its own channel of {@code --members} members (the sender
 * included), every member long-polling. Measures acknowledged (= committed) messages per second and
 * ack latency, then checks that every member received every acknowledged message exactly once.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "concurrent senders into channels whose members all long-poll")
final class IngestScenario extends Scenario {
    @Option(names = "--senders", description = "concurrent senders, one channel each (default ${DEFAULT-VALUE})")
    int senders = 50;

    @Option(names = "--members", description = "members per channel, sender included (default ${DEFAULT-VALUE})")
    int members = 10;

    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int duration = 20;

    @Option(names = "--warmup", description = "unmeasured seconds first (default ${DEFAULT-VALUE})")
    int warmup = 30;

    @Option(names = "--poll-timeout", description = "long-poll timeout in seconds (default ${DEFAULT-VALUE})")
    int pollTimeout = 15;

    @Option(names = "--ceiling-rps", description = "ceiling req/s to compare with (0: measure 5 s of ceiling on the warm server afterwards; default ${DEFAULT-VALUE})")
    double ceilingRps;

    @Override
    Report run() throws Exception {
        Server server = server("ingest", Map.of());
        log("setting up %d channels x %d members", senders, members);
        Api.User[] users = sessions(server.url, "u", senders * members, 32);
        parallel(users.length, 32, i -> users[i].join("#ingest" + (i / members)));
        Histogram delivery = new Histogram();
        List<Thread> pollThreads = new ArrayList<>();
        List<Receiver> receivers = receivers(server.url, users, pollTimeout, delivery, errors, pollThreads);

        Histogram ack = new Histogram();
        LongAdder measured = new LongAdder();
        Acked[] acked = new Acked[senders];
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        CpuMeter cpu = new CpuMeter(server, measureFrom);
        receivers.forEach(r -> r.measureFrom(measureFrom));
        log("sending for %d + %d s", warmup, duration);
        Api.User[] sending = new Api.User[senders];
        for (int s = 0; s < senders; s++) {
            acked[s] = new Acked();
            sending[s] = users[s * members];
        }
        closedLoopSenders(sending, s -> "#ingest" + s, acked, ack, measured, errors, measureFrom, end);
        long sendEnd = System.nanoTime();
        settle(receivers, pollThreads, r -> acked[r.user.index / members].count(), 60_000);
        cpu.stop();
        long lost = 0;
        for (Receiver r : receivers) {
            int s = r.user.index / members;
            lost += r.missing(s, acked[s].snapshot());
        }
        double ceiling = ceilingRps;
        if (ceiling <= 0) {
            log("measuring the ceiling on the same, now warm, server for 5 s after 10 s of warm-up");
            ceiling = CeilingScenario.measure(server.url, 50, 10, 5, errors).rps();
        }
        long totalAcked = 0;
        for (Acked a : acked) {
            totalAcked += a.count();
        }
        double rate = measured.sum() / (double) duration;
        Report report = new Report("ingest — " + opts.dbLabel() + ", " + senders + " senders, " + senders + " channels × " + members
                + " members, " + duration + " s (+" + warmup + " s warm-up)");
        report.row("throughput", Report.num(rate) + " acked msgs/s (" + Report.num(rate * members) + " deliveries/s)");
        report.row("ceiling for comparison", Report.num(ceiling) + " req/s → ingest is " + String.format("%.0f%%", 100 * rate / ceiling));
        report.latency("ack latency", ack);
        report.latency("delivery latency", delivery);
        cpu.report(report, measured.sum(), "message");
        report.memory(server);
        report.row("messages acked / delivered / expected", totalAcked + " / " + sum(receivers, Receiver::delivered) + " / " + totalAcked * members);
        pollAnswers(report, receivers);
        report.row("lost / duplicated / dropped", lost + " / " + sum(receivers, Receiver::duplicates) + " / " + sum(receivers, Receiver::dropped));
        report.errors(errors);
        report.require(lost == 0, "no acknowledged message lost");
        report.require(sum(receivers, Receiver::duplicates) == 0, "no message delivered twice");
        report.target(rate >= 5000, "≥ 5,000 acked msgs/s");
        report.target(ack.percentile(99) <= 50_000, "ack p99 ≤ 50 ms");
        report.target(rate >= 0.25 * ceiling, "≥ 25% of ceiling req/s");
        log("send phase %.1f s", seconds(sendEnd - start));
        return report;
    }
}
