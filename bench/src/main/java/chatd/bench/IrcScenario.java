package chatd.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the IRC scenarios share: two linked servers with their IRC gateways on, senders on alpha and
 * receivers on either side in one channel, every one a plain IRC client ({@link IrcClient}). Each PRIVMSG
 * carries its sender, a sequence number and its send time ({@link Stamp}); every receiver checks that it
 * got each message once and in order, and records the send-to-delivery latency.
 *
 * <p>Open loop: each sender sends its share of the rate on its own schedule ({@link IrcSender}); closed
 * loop ({@link #inflight()} above 0): each keeps that many messages in flight, a message leaving the
 * window when its paired receiver got it. IRC has no acknowledgment: a message is sent once written to
 * the socket, and what a receiver has not got within --settle seconds of the last send counts as lost.
 * So a gateway that holds senders back (its flood control) shows as latency, a lower delivered rate
 * and loss, in the same table as everything else.
 */
abstract class IrcScenario extends Scenario {
    static final String CHANNEL = "#bench";
    private static final long CLIENT_TIMEOUT_MS = 60_000;

    @Option(names = "--senders", description = "IRC clients sending on alpha (default ${DEFAULT-VALUE})")
    int senders = 10;

    @Option(names = "--rate", description = "open loop: messages per second from all senders together, each sending "
            + "its share on its own schedule (default ${DEFAULT-VALUE})")
    double rate = 20;

    @Option(names = "--sender-rate", description = "open loop: messages per second of each sender instead of --rate "
            + "(the gateway's flood control is per connection)")
    double senderRate;

    @Option(names = "--duration", description = "measured seconds (default ${DEFAULT-VALUE})")
    int duration = 20;

    @Option(names = "--warmup", description = "unmeasured seconds first (default ${DEFAULT-VALUE})")
    int warmup = 20;

    @Option(names = "--settle", description = "seconds after the last send that receivers may still take; what they "
            + "have not got by then is lost (default ${DEFAULT-VALUE})")
    int settle = 10;

    @Option(names = "--link-timeout", description = "seconds to wait for the link, and for a message from alpha to reach "
            + "every receiver (default ${DEFAULT-VALUE})")
    int linkTimeout = 30;

    @Option(names = "--flood-class", description = "connection class of the bench's IRC clients: exempt (both servers "
            + "started with IRC_EXEMPT covering the clients' 127.1.x.y addresses, so no fakelag) or anonymous (the "
            + "gateway's default flood control, 20 lines then 4 lines/s per connection) (default ${DEFAULT-VALUE})")
    FloodClass floodClass = FloodClass.exempt;

    /** Which connection class the bench's clients are in on both servers. */
    enum FloodClass { exempt, anonymous }

    @Option(names = "--join-timeout", description = "seconds to wait until alpha has seen every receiver's JOIN "
            + "(default ${DEFAULT-VALUE})")
    int joinTimeout = 120;

    abstract int receiversOnAlpha();

    abstract int receiversOnBeta();

    /** Messages each sender keeps in flight (closed loop), or 0 for the open loop. */
    int inflight() {
        return 0;
    }

    /** The latency targets that apply at this load. */
    abstract void latencyTargets(Report report, double offered, Histogram latency);

    /** Is percentile {@code p} of {@code h} at most {@code micros}? Not when nothing was measured. */
    static boolean within(Histogram h, double p, long micros) {
        return h.count() > 0 && h.percentile(p) <= micros;
    }

    /** One server of the pair: its gateway's port and what its receivers measured. */
    private record Side(String name, Server server, int ircPort, int receivers, Histogram latency, LongAdder inWindow) {
        Side(String name, Server server, int ircPort, int receivers) {
            this(name, server, ircPort, receivers, new Histogram(), new LongAdder());
        }
    }

    /** Everyone in the channel, joined and reached by a probe. */
    private record Cast(IrcClient[] senders, Semaphore[] inFlight, IrcReceiver[] receivers, double setupSeconds) {}

    /** Alpha's view of the channel: who has joined it. */
    private static final class Watcher implements IrcClient.Listener {
        final Set<String> joined = ConcurrentHashMap.newKeySet();

        @Override
        public void message(String text, long now) {}

        @Override
        public void joined(String nick) {
            joined.add(nick.toLowerCase(Locale.ROOT));
        }
    }

    @Override
    Report run() throws Exception {
        if (senders < 1 || receiversOnAlpha() + receiversOnBeta() < 1 || duration < 1) {
            throw new IllegalArgumentException("--senders, --receivers and --duration must be at least 1");
        }
        if (inflight() <= 0 && offered() <= 0) {
            throw new IllegalArgumentException("--rate or --sender-rate must be above 0 (or --inflight for a closed loop)");
        }
        int ircAlpha = Server.freePort();
        int ircBeta = Server.freePort();
        LinkedPair pair = LinkedPair.start(this, gateway(ircAlpha), gateway(ircBeta), linkTimeout);
        Side alpha = new Side("alpha", pair.alpha(), ircAlpha, receiversOnAlpha());
        Side beta = new Side("beta", pair.beta(), ircBeta, receiversOnBeta());
        List<IrcClient> clients = new CopyOnWriteArrayList<>();
        try {
            Cast cast = cast(alpha, beta, clients);
            long start = System.nanoTime();
            IrcSender.Window window = new IrcSender.Window(start, start + warmup * 1_000_000_000L,
                    start + (warmup + duration) * 1_000_000_000L);
            for (IrcReceiver r : cast.receivers()) {
                r.measure(window.measureFrom(), window.end());
            }
            CpuMeter cpuAlpha = new CpuMeter(alpha.server(), window.measureFrom());
            CpuMeter cpuBeta = new CpuMeter(beta.server(), window.measureFrom());
            LongAdder sentInWindow = new LongAdder();
            IrcSender[] loops = send(cast, window, sentInWindow);
            long sendEnd = System.nanoTime();
            cpuAlpha.stop();
            cpuBeta.stop();
            long total = 0;
            for (IrcSender loop : loops) {
                total += loop.sent();
            }
            settle(cast.receivers(), total, sendEnd + settle * 1_000_000_000L);
            Report report = report(alpha, beta, cast, sentInWindow.sum(), sendEnd);
            cpuAlpha.report(report, sentInWindow.sum(), "message", "alpha", false);
            cpuBeta.report(report, sentInWindow.sum(), "message", "beta", true);
            report.memory(alpha.server(), "alpha");
            report.memory(beta.server(), "beta");
            return checks(report, cast, loops, alpha, beta);
        } finally {
            log("closing %d IRC clients", clients.size());
            parallel(clients.size(), 64, i -> clients.get(i).quit(5_000));
        }
    }

    /** The environment that turns a server's IRC gateway on, with the bench's clients in their class. */
    private Map<String, String> gateway(int ircPort) {
        return floodClass == FloodClass.exempt
                ? Map.of("IRC_PORT", Integer.toString(ircPort), "IRC_EXEMPT", IrcClient.SOURCE_NETWORK)
                : Map.of("IRC_PORT", Integer.toString(ircPort));
    }

    /**
     * Connects the watcher and the senders on alpha, then the receivers, and waits until alpha has seen
     * every receiver's JOIN and a probe from alpha has reached every receiver.
     */
    private Cast cast(Side alpha, Side beta, List<IrcClient> clients) throws Exception {
        Watcher watcher = new Watcher();
        IrcClient watch = connect(alpha, "watch", watcher, clients);
        watch.join(CHANNEL, CLIENT_TIMEOUT_MS);
        IrcClient[] out = new IrcClient[senders];
        parallel(senders, 16, i -> {
            out[i] = connect(alpha, "s" + i, IrcClient.IGNORE, clients);
            out[i].join(CHANNEL, CLIENT_TIMEOUT_MS);
        });
        Semaphore[] inFlight = new Semaphore[senders];
        for (int s = 0; s < senders; s++) {
            inFlight[s] = inflight() > 0 ? new Semaphore(inflight()) : null;
        }
        int n = alpha.receivers() + beta.receivers();
        IrcReceiver[] receivers = new IrcReceiver[n];
        log("connecting %d receivers (%d on alpha, %d on beta)", n, alpha.receivers(), beta.receivers());
        long t0 = System.nanoTime();
        parallel(n, 32, i -> {
            Side side = i < alpha.receivers() ? alpha : beta;
            // Closed loop: receiver i frees the window of the senders paired with it.
            receivers[i] = new IrcReceiver("r" + i, side.latency(), side.inWindow(), sender -> {
                if (sender < senders && inFlight[sender] != null && sender % n == i) {
                    inFlight[sender].release();
                }
            });
            connect(side, receivers[i].nick, receivers[i], clients).join(CHANNEL, CLIENT_TIMEOUT_MS);
        });
        awaitJoins(watcher, receivers);
        double setup = seconds(System.nanoTime() - t0);
        probe(watch, receivers);
        return new Cast(out, inFlight, receivers, setup);
    }

    /** Runs the senders until the end of the window; answers them once all have stopped. */
    private IrcSender[] send(Cast cast, IrcSender.Window window, LongAdder sentInWindow) throws InterruptedException {
        log("%s from %d senders on alpha for %d + %d s", inflight() > 0 ? "closed loop" : Report.num(offered()) + " msgs/s",
                senders, warmup, duration);
        long interval = inflight() > 0 ? 0 : (long) (1e9 / (offered() / senders));
        IrcSender[] loops = new IrcSender[senders];
        Thread[] threads = new Thread[senders];
        for (int s = 0; s < senders; s++) {
            long firstDue = window.start() + interval * s / senders; // open loop: staggered, not all at once
            loops[s] = new IrcSender(cast.senders()[s], s, CHANNEL, cast.inFlight()[s], interval, firstDue, window, sentInWindow, errors);
            threads[s] = Thread.ofVirtual().name("irc-send-" + s).start(loops[s]);
        }
        // A sender still blocked writing long after the end (the server stopped reading it) is cut off.
        long deadline = window.end() + settle * 1_000_000_000L;
        for (int s = 0; s < senders; s++) {
            threads[s].join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (threads[s].isAlive()) {
                errors.add("PRIVMSG blocked", loops[s].client().nick + " still blocked writing " + settle + " s after the end: connection closed");
                loops[s].client().close();
                threads[s].join();
            }
        }
        return loops;
    }

    private Report report(Side alpha, Side beta, Cast cast, long sentInWindow, long sendEnd) {
        int receivers = cast.receivers().length;
        long lastDelivery = 0;
        for (IrcReceiver r : cast.receivers()) {
            lastDelivery = Math.max(lastDelivery, r.deliveries.lastDeliveryNanos());
        }
        Report report = new Report(getClass().getAnnotation(Command.class).name() + " — " + opts.dbLabel()
                + ", IRC gateways of two linked servers: " + senders + " senders on alpha → " + receiversText(alpha, beta)
                + " in " + CHANNEL + ", " + load() + ", " + duration + " s (+" + warmup + " s warm-up), clients in the "
                + floodClass + " connection class");
        report.row("sent in the window", Report.num(sentInWindow / (double) duration) + " msgs/s ("
                + Report.num(sentInWindow) + " written to the senders' sockets)");
        report.row("delivered per receiver in the window", Report.num(perReceiver(alpha, beta)) + " msgs/s" + perSide(alpha, beta));
        if (alpha.receivers() > 0 && beta.receivers() > 0) {
            report.latency("send → delivery, all receivers", latency(alpha, beta));
        }
        for (Side side : List.of(alpha, beta)) {
            if (side.receivers() > 0) {
                report.latency("send → delivery on " + side.name() + (side == alpha ? " (local)" : " (relayed)"), side.latency());
            }
        }
        report.row("last delivery after the last send", String.format(Locale.ROOT, "%.2f s", Math.max(0, seconds(lastDelivery - sendEnd))));
        report.row("setup: " + receivers + " receivers registered and joined", String.format(Locale.ROOT, "%.1f s", cast.setupSeconds()));
        return report;
    }

    /** Loss, duplicates and order over every receiver, errors, and the targets. */
    private Report checks(Report report, Cast cast, IrcSender[] loops, Side alpha, Side beta) {
        long lost = 0;
        long dups = 0;
        long disordered = 0;
        int[] affected = new int[3]; // receivers that lost, got duplicates, got out of order
        for (IrcReceiver r : cast.receivers()) {
            long missing = 0;
            for (int s = 0; s < loops.length; s++) {
                missing += r.deliveries.missing(s, loops[s].sent());
            }
            lost += missing;
            dups += r.deliveries.duplicates();
            disordered += r.deliveries.outOfOrder();
            affected[0] += missing > 0 ? 1 : 0;
            affected[1] += r.deliveries.duplicates() > 0 ? 1 : 0;
            affected[2] += r.deliveries.outOfOrder() > 0 ? 1 : 0;
        }
        report.row("lost / duplicated / out of order", lost + " / " + dups + " / " + disordered
                + (lost + dups + disordered > 0 ? " (at " + affected[0] + " / " + affected[1] + " / " + affected[2] + " of "
                        + cast.receivers().length + " receivers)" : ""));
        report.errors(errors);
        report.require(lost == 0, "every receiver got every message sent, within " + settle + " s of the last send");
        report.require(dups == 0, "no message delivered twice");
        report.require(disordered == 0, "each sender's messages arrived in the order sent");
        if (inflight() <= 0) {
            report.target(perReceiver(alpha, beta) >= 0.99 * offered(), "kept up with the offered " + Report.num(offered()) + " msgs/s");
            latencyTargets(report, offered(), latency(alpha, beta));
        }
        return report;
    }

    private double perReceiver(Side alpha, Side beta) {
        return (alpha.inWindow().sum() + beta.inWindow().sum()) / (double) (alpha.receivers() + beta.receivers()) / duration;
    }

    private static Histogram latency(Side alpha, Side beta) {
        Histogram all = new Histogram();
        all.addAll(alpha.latency());
        all.addAll(beta.latency());
        return all;
    }

    /** Messages per second the open loop offers in all. */
    double offered() {
        return senderRate > 0 ? senderRate * senders : rate;
    }

    private String load() {
        if (inflight() > 0) {
            return "closed loop, " + inflight() + " in flight per sender";
        }
        return String.format(Locale.ROOT, "open loop %s msgs/s (%.1f per sender)", Report.num(offered()), offered() / senders);
    }

    private static String receiversText(Side alpha, Side beta) {
        if (alpha.receivers() == 0 || beta.receivers() == 0) {
            Side only = alpha.receivers() == 0 ? beta : alpha;
            return only.receivers() + " receivers on " + only.name();
        }
        return (alpha.receivers() + beta.receivers()) + " receivers (" + alpha.receivers() + " on alpha, " + beta.receivers() + " on beta)";
    }

    private String perSide(Side alpha, Side beta) {
        if (alpha.receivers() == 0 || beta.receivers() == 0) {
            return "";
        }
        return " (alpha " + Report.num(alpha.inWindow().sum() / (double) alpha.receivers() / duration) + ", beta "
                + Report.num(beta.inWindow().sum() / (double) beta.receivers() / duration) + ")";
    }

    private IrcClient connect(Side side, String nick, IrcClient.Listener listener, List<IrcClient> clients) throws IOException {
        IrcClient c = IrcClient.connect(side.ircPort(), nick, listener, errors, CLIENT_TIMEOUT_MS);
        clients.add(c);
        return c;
    }

    /** Waits until alpha has seen every receiver's JOIN (beta's relayed over the link). */
    private void awaitJoins(Watcher watcher, IrcReceiver[] receivers) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + joinTimeout * 1_000_000_000L;
        while (true) {
            int missing = 0;
            for (IrcReceiver r : receivers) {
                missing += watcher.joined.contains(r.nick) ? 0 : 1;
            }
            if (missing == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(missing + " of " + receivers.length + " receivers' JOINs not seen on alpha after " + joinTimeout + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Sends probes from alpha until one has reached every receiver: the channel is linked end to end. */
    private void probe(IrcClient watch, IrcReceiver[] receivers) throws Exception {
        long deadline = System.nanoTime() + linkTimeout * 1_000_000_000L;
        for (int k = 0; !allProbed(receivers); k++) {
            if (System.nanoTime() > deadline) {
                throw new Unavailable("the link is up but messages from alpha did not reach every receiver in " + linkTimeout + " s");
            }
            watch.privmsg(CHANNEL, IrcReceiver.probe(k));
            Thread.sleep(500);
        }
    }

    private static boolean allProbed(IrcReceiver[] receivers) {
        for (IrcReceiver r : receivers) {
            if (!r.probed()) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every receiver has {@code total} messages, or {@code deadlineNanos}. */
    private static void settle(IrcReceiver[] receivers, long total, long deadlineNanos) throws InterruptedException {
        for (IrcReceiver r : receivers) {
            while (r.deliveries.delivered() < total && System.nanoTime() < deadlineNanos) {
                Thread.sleep(20);
            }
        }
    }
}
