package chatd.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One big channel, every member long-polling, one member sending at a fixed rate (open loop: a slow
 * answer does not delay the next send). Measures POST-to-delivery latency over every delivery.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, description = "one big channel, all members long-polling, fixed message rate")
final class FanoutScenario extends Scenario {
    @Option(names = "--members", description = "channel members, all long-polling (default ${DEFAULT-VALUE})")
    int members = 1000;

    @Option(names = "--rate", description = "messages per second into the channel (default ${DEFAULT-VALUE})")
    double rate = 20;

    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int duration = 30;

    @Option(names = "--warmup", description = "unmeasured seconds first (default ${DEFAULT-VALUE})")
    int warmup = 30;

    @Option(names = "--poll-timeout", description = "long-poll timeout in seconds (default ${DEFAULT-VALUE})")
    int pollTimeout = 15;

    @Override
    Report run() throws Exception {
        Server server = server("fanout", Map.of());
        log("creating %d sessions", members);
        Api.User[] users = sessions(server.url, "f", members, 32);
        Histogram delivery = new Histogram();
        List<Thread> pollThreads = new ArrayList<>();
        List<Receiver> receivers = receivers(server.url, users, pollTimeout, delivery, errors, pollThreads);
        log("joining #fanout");
        long j0 = System.nanoTime();
        parallel(users.length, 16, i -> users[i].join("#fanout"));
        double joinSeconds = seconds(System.nanoTime() - j0);
        Thread.sleep(2000);

        Histogram ack = new Histogram();
        Acked acked = new Acked();
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        CpuMeter cpu = new CpuMeter(server, measureFrom);
        receivers.forEach(r -> r.measureFrom(measureFrom));
        log("sending %.0f msgs/s for %d + %d s", rate, warmup, duration);
        pacedSenders(server.url, new Api.User[] {users[0]}, s -> "#fanout", new Acked[] {acked}, ack, new LongAdder(), errors,
                measureFrom, end, rate);
        settle(receivers, pollThreads, r -> acked.count(), 60_000);
        cpu.stop();
        long lost = 0;
        for (Receiver r : receivers) {
            lost += r.missing(0, acked.snapshot());
        }
        long dups = sum(receivers, Receiver::duplicates);
        Report report = new Report("fanout — " + opts.dbLabel() + ", 1 channel × " + members + " long-polling members, "
                + Report.num(rate) + " msgs/s, " + duration + " s (+" + warmup + " s warm-up)");
        report.row("throughput", Report.num(delivery.count() / (double) duration) + " deliveries/s (" + acked.count() + " messages acked)");
        report.latency("delivery latency (POST → poll answer)", delivery);
        report.latency("ack latency", ack);
        report.row("setup: " + members + " JOINs", String.format("%.1f s", joinSeconds));
        cpu.report(report, delivery.count(), "delivery");
        report.memory(server);
        pollAnswers(report, receivers);
        report.row("lost / duplicated / dropped", lost + " / " + dups + " / " + sum(receivers, Receiver::dropped));
        report.errors(errors);
        report.require(lost == 0, "every member got every acked message");
        report.require(dups == 0, "no message delivered twice");
        report.target(delivery.percentile(50) <= 20_000, "delivery p50 ≤ 20 ms");
        report.target(delivery.percentile(99) <= 200_000, "delivery p99 ≤ 200 ms");
        return report;
    }
}
