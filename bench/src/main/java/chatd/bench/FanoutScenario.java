package chatd.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<HttpConn> conns = new ConcurrentLinkedQueue<>();
        Api.User sender = users[0];
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        CpuMeter cpu = new CpuMeter(server, measureFrom);
        receivers.forEach(r -> r.measureFrom(measureFrom));
        long interval = (long) (1e9 / rate);
        List<Thread> sends = new ArrayList<>();
        log("sending %.0f msgs/s for %d + %d s", rate, warmup, duration);
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int seq = sent.getAndIncrement();
            sends.add(Thread.ofVirtual().start(() -> {
                HttpConn c = conns.poll();
                if (c == null) {
                    c = new HttpConn(server.url, 60_000);
                }
                long t0 = System.nanoTime();
                try {
                    HttpConn.Response r = c.post("/api/v1/messages", sender.token,
                            "{\"command\":\"PRIVMSG\",\"to\":\"#fanout\",\"body\":[\"" + payload(0, seq) + "\"]}");
                    if (r.ok()) {
                        acked.add(seq);
                        if (t0 >= measureFrom) {
                            ack.recordNanos(System.nanoTime() - t0);
                        }
                    } else {
                        errors.add("PRIVMSG", r);
                    }
                    conns.add(c);
                } catch (IOException e) {
                    errors.add("PRIVMSG", e);
                    c.close();
                }
            }));
        }
        for (Thread t : sends) {
            t.join();
        }
        settle(receivers, pollThreads, r -> acked.count(), 60_000);
        cpu.stop();
        conns.forEach(HttpConn::close);
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
