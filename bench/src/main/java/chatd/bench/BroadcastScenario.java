package chatd.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One huge channel, every member parked in a long-poll; one message; how long until the last member
 * has it. The members are seeded into the store (copies of a member the server created) and the server
 * restarted on it, because joining 10,000 members through the API costs ~50 million JOIN deliveries.
 */
@Command(name = "broadcast", mixinStandardHelpOptions = true, description = "one message to a huge channel of parked members")
final class BroadcastScenario extends Scenario {
    @Option(names = "--members", description = "channel members, all parked in a long-poll (default ${DEFAULT-VALUE})")
    int members = 10_000;

    @Option(names = "--rounds", description = "messages sent, one at a time (default ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--setup", description = "seed (members written into the store, default) or api (members JOIN through the API)")
    String setup = "seed";

    @Option(names = "--histogram", description = "save the server's class histogram (jcmd GC.class_histogram) while all members are parked")
    java.nio.file.Path histogram;

    @Option(names = "--poll-timeout", description = "long-poll timeout in seconds (default ${DEFAULT-VALUE})")
    int pollTimeout = 60;

    @Override
    Report run() throws Exception {
        Api.User[] users;
        Server server;
        if (setup.equals("api") || opts.url != null) {
            server = server("broadcast", Map.of());
            users = sessions(server.url, "b", members, 32);
            log("joining %d members through the API", members);
            parallel(users.length, 16, i -> users[i].join("#broadcast"));
        } else {
            Server.Launch launch = Server.launch(opts, "broadcast", dir, newDatabase("broadcast"), Map.of());
            server = start(launch);
            Api.User op = Api.createSession(server.url, 0, "op");
            op.join("#broadcast");
            Api.User template = Api.createSession(server.url, 1, "tmpl");
            template.join("#broadcast");
            long templateSession = chatd.protocol.Json.MAPPER.readTree(template.conn.get("/api/v1/state", template.token).body()).path("id").asLong();
            op.conn.close();
            template.conn.close();
            server.stop();
            forget(server);
            log("seeding %d members into the store", members - 2);
            String[] tokens;
            try (Seeder seeder = new Seeder(launch.dbUrl())) {
                tokens = seeder.members(templateSession, "#broadcast", "b", members - 2);
            }
            server = start(launch);
            users = new Api.User[members];
            users[0] = new Api.User(0, "op", op.token, new HttpConn(server.url, 60_000));
            users[1] = new Api.User(1, "tmpl", template.token, new HttpConn(server.url, 60_000));
            for (int i = 2; i < members; i++) {
                users[i] = new Api.User(i, "b" + (i - 2), tokens[i - 2], null);
            }
        }
        Histogram delivery = new Histogram();
        List<Thread> pollThreads = new ArrayList<>();
        List<Receiver> receivers = receivers(server.url, users, pollTimeout, delivery, errors, pollThreads);
        receivers.forEach(r -> r.measureFrom(0));
        log("letting %d receivers park", members);
        Thread.sleep(Math.max(3000, members / 2));
        long parkedHeap = server.heapAfterGcKiB();
        if (histogram != null) {
            java.nio.file.Files.writeString(histogram, server.jcmd("GC.class_histogram"));
        }
        CpuMeter cpu = new CpuMeter(server);
        Acked acked = new Acked();
        Histogram ack = new Histogram();
        List<String> roundTimes = new ArrayList<>();
        double worst = 0;
        Api.User sender = users[0];
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            try {
                HttpConn.Response r = sender.privmsg("#broadcast", payload(0, round));
                if (r.ok()) {
                    acked.add(round);
                    ack.recordNanos(System.nanoTime() - t0);
                } else {
                    errors.add("PRIVMSG", r);
                }
            } catch (IOException e) {
                errors.add("PRIVMSG", e);
            }
            int expected = acked.count();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && receivers.stream().anyMatch(x -> x.delivered() < expected)) {
                Thread.sleep(5);
            }
            long last = 0;
            for (Receiver x : receivers) {
                last = Math.max(last, x.lastDeliveryNanos());
            }
            double secs = seconds(last - t0);
            worst = Math.max(worst, secs);
            roundTimes.add(String.format("%.2f", secs));
            Thread.sleep(3000); // everyone parks again
        }
        long rss = server.rssKiB();
        if (histogram != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(histogram + ".after"), server.jcmd("GC.class_histogram"));
        }
        settle(receivers, pollThreads, r -> acked.count(), 10_000);
        long lost = 0;
        for (Receiver r : receivers) {
            lost += r.missing(0, acked.snapshot());
        }
        long dups = sum(receivers, Receiver::duplicates);
        Report report = new Report("broadcast — " + opts.dbLabel() + ", 1 channel × " + Report.num(members) + " parked members ("
                + setup + " setup), " + rounds + " messages one at a time");
        report.row("time until the last member has it", String.join(" / ", roundTimes) + " s (worst " + String.format("%.2f", worst) + " s)");
        report.latency("delivery latency", delivery);
        report.latency("ack latency", ack);
        report.row("server heap after GC, all parked, before sending", Report.mib(parkedHeap)
                + String.format(" (%.1f KiB per parked member)", parkedHeap / (double) members));
        report.row("server RSS (parked, after the rounds)", Report.mib(rss));
        cpu.report(report, acked.count() * (long) members, "delivery");
        report.memory(server);
        report.row("lost / duplicated / dropped", lost + " / " + dups + " / " + sum(receivers, Receiver::dropped));
        report.errors(errors);
        report.require(lost == 0, "every member got every acked message");
        report.require(dups == 0, "no message delivered twice");
        report.target(worst <= 3.0 && acked.count() == rounds, "all " + Report.num(members) + " delivered within 3 s");
        report.target(rss > 0 && rss <= 1024 * 1024, "server RSS ≤ 1 GiB");
        return report;
    }
}
