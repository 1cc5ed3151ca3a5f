package chatd.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the IRC scenarios share: two linked servers with their IRC gateways on, senders on alpha and
 * receivers on either side in one channel, every one a plain IRC client ({@link IrcClient}). Each PRIVMSG
 * carries its sender, a sequence number and its send time ({@link Stamp}); every receiver checks that it
 * got each message once and in order, and records the send-to-delivery latency.
 *
 * <p>Open loop: each sender sends its share of the rate on its own schedule, and latency counts from when
 * a message was due, so a sender held back by the gateway (flood control makes a client wait, it does
 * not refuse it) shows as latency and as a lower delivered rate, not as a slower schedule. Closed loop
 * ({@link #inflight()} above 0): a sender keeps that many messages in flight, each leaving the window when
 * its paired receiver got it. IRC has no acknowledgment: a message is sent once written to the socket,
 * and what a receiver has not got within --settle seconds of the last send counts as lost.
 */
abstract class IrcScenario extends Scenario {
    static final String CHANNEL = "#bench";
    /** Text of the messages that show the channel is linked before measuring: not benchmark messages. */
    private static final String PROBE = "probe:";
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

    /** One server of the pair: its gateway's port and what its receivers measured. */
    private record Side(String name, Server server, int ircPort, int receivers, Histogram latency, LongAdder inWindow) {
        Side(String name, Server server, int ircPort, int receivers) {
            this(name, server, ircPort, receivers, new Histogram(), new LongAdder());
        }
    }

    /** A receiving client: its deliveries, and whether a probe reached it. */
    private static final class Inbox implements IrcClient.Listener {
        final String nick;
        final Side side;
        final Deliveries deliveries;
        private final IntConsumer onDelivered;
        private volatile long windowFrom = Long.MAX_VALUE;
        private volatile long windowUntil = Long.MAX_VALUE;
        private volatile boolean probed;

        Inbox(String nick, Side side, IntConsumer onDelivered) {
            this.nick = nick;
            this.side = side;
            this.deliveries = new Deliveries(side.latency());
            this.onDelivered = onDelivered;
        }

        void measure(long from, long until) {
            deliveries.measureFrom(from);
            windowFrom = from;
            windowUntil = until;
        }

        @Override
        public void message(String text, long now) {
            Stamp s = Stamp.parse(text);
            if (s == null) {
                probed |= text != null && text.startsWith(PROBE);
                return;
            }
            if (deliveries.record(s.sender(), s.seq(), s.sentNanos(), now)) {
                if (now >= windowFrom && now < windowUntil) {
                    side.inWindow().increment();
                }
                onDelivered.accept(s.sender());
            }
        }
    }

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
        int ircAlpha = Server.freePort();
        int ircBeta = Server.freePort();
        LinkedPair pair = LinkedPair.start(this, Map.of("IRC_PORT", Integer.toString(ircAlpha)),
                Map.of("IRC_PORT", Integer.toString(ircBeta)), linkTimeout);
        Side alpha = new Side("alpha", pair.alpha(), ircAlpha, receiversOnAlpha());
        Side beta = new Side("beta", pair.beta(), ircBeta, receiversOnBeta());
        List<IrcClient> clients = new CopyOnWriteArrayList<>();
        try {
            return measure(alpha, beta, clients);
        } finally {
            log("closing %d IRC clients", clients.size());
            parallel(clients.size(), 64, i -> clients.get(i).quit(5_000));
        }
    }

    private Report measure(Side alpha, Side beta, List<IrcClient> clients) throws Exception {
        Watcher watcher = new Watcher();
        IrcClient watch = connect(alpha, "watch", watcher, clients);
        watch.join(CHANNEL, CLIENT_TIMEOUT_MS);
        IrcClient[] out = new IrcClient[senders];
        parallel(senders, 16, i -> {
            out[i] = connect(alpha, "s" + i, IrcClient.IGNORE, clients);
            out[i].join(CHANNEL, CLIENT_TIMEOUT_MS);
        });
        int receivers = alpha.receivers() + beta.receivers();
        Semaphore[] inFlight = new Semaphore[senders];
        for (int s = 0; s < senders; s++) {
            inFlight[s] = inflight() > 0 ? new Semaphore(inflight()) : null;
        }
        Inbox[] inboxes = new Inbox[receivers];
        log("connecting %d receivers (%d on alpha, %d on beta)", receivers, alpha.receivers(), beta.receivers());
        long j0 = System.nanoTime();
        parallel(receivers, 32, i -> {
            // Closed loop: receiver i frees the window of the senders paired with it.
            inboxes[i] = new Inbox("r" + i, i < alpha.receivers() ? alpha : beta, sender -> {
                if (sender < senders && inFlight[sender] != null && sender % receivers == i) {
                    inFlight[sender].release();
                }
            });
            connect(inboxes[i].side, inboxes[i].nick, inboxes[i], clients).join(CHANNEL, CLIENT_TIMEOUT_MS);
        });
        awaitJoins(watcher, inboxes);
        double joinSeconds = seconds(System.nanoTime() - j0);
        probe(watch, inboxes);

        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        for (Inbox in : inboxes) {
            in.measure(measureFrom, end);
        }
        CpuMeter cpuAlpha = new CpuMeter(alpha.server(), measureFrom);
        CpuMeter cpuBeta = new CpuMeter(beta.server(), measureFrom);
        AtomicIntegerArray sent = new AtomicIntegerArray(senders);
        LongAdder sentInWindow = new LongAdder();
        log("%s from %d senders on alpha for %d + %d s", inflight() > 0 ? "closed loop" : Report.num(offered()) + " msgs/s",
                senders, warmup, duration);
        Thread[] threads = new Thread[senders];
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads[s] = Thread.ofVirtual().name("irc-send-" + s).start(
                    () -> send(out[sender], sender, inFlight[sender], start, measureFrom, end, sent, sentInWindow));
        }
        awaitSenders(threads, out, end + settle * 1_000_000_000L);
        long sendEnd = System.nanoTime();
        cpuAlpha.stop();
        cpuBeta.stop();
        long total = 0;
        for (int s = 0; s < senders; s++) {
            total += sent.get(s);
        }
        settle(inboxes, total, sendEnd + settle * 1_000_000_000L);

        long lost = 0;
        int lossy = 0;
        long lastDelivery = 0;
        for (Inbox in : inboxes) {
            long missing = 0;
            for (int s = 0; s < senders; s++) {
                missing += in.deliveries.missing(s, sent.get(s));
            }
            lost += missing;
            lossy += missing > 0 ? 1 : 0;
            lastDelivery = Math.max(lastDelivery, in.deliveries.lastDeliveryNanos());
        }
        long dups = 0;
        long disordered = 0;
        for (Inbox in : inboxes) {
            dups += in.deliveries.duplicates();
            disordered += in.deliveries.outOfOrder();
        }
        Histogram all = new Histogram();
        all.addAll(alpha.latency());
        all.addAll(beta.latency());
        double perReceiver = (alpha.inWindow().sum() + beta.inWindow().sum()) / (double) receivers / duration;

        Report report = new Report(getClass().getAnnotation(Command.class).name() + " — "
                + opts.dbLabel() + ", IRC gateways of two linked servers: " + senders + " senders on alpha → "
                + receiversText(alpha, beta) + " in " + CHANNEL + ", " + load() + ", " + duration + " s (+" + warmup
                + " s warm-up)");
        report.row("sent in the window", Report.num(sentInWindow.sum() / (double) duration) + " msgs/s ("
                + Report.num(sentInWindow.sum()) + " written to the senders' sockets)");
        report.row("delivered per receiver in the window", Report.num(perReceiver) + " msgs/s" + perSide(alpha, beta));
        if (alpha.receivers() > 0 && beta.receivers() > 0) {
            report.latency("send → delivery, all receivers", all);
        }
        for (Side side : List.of(alpha, beta)) {
            if (side.receivers() > 0) {
                report.latency("send → delivery on " + side.name() + (side == alpha ? " (local)" : " (relayed)"), side.latency());
            }
        }
        report.row("last delivery after the last send", String.format(Locale.ROOT, "%.2f s", Math.max(0, seconds(lastDelivery - sendEnd))));
        report.row("setup: " + receivers + " receivers registered and joined", String.format(Locale.ROOT, "%.1f s", joinSeconds));
        cpuAlpha.report(report, sentInWindow.sum(), "message", "alpha", false);
        cpuBeta.report(report, sentInWindow.sum(), "message", "beta", true);
        report.memory(alpha.server(), "alpha");
        report.memory(beta.server(), "beta");
        report.row("lost / duplicated / out of order", lost + " / " + dups + " / " + disordered
                + (lost > 0 ? " (" + lossy + " of " + receivers + " receivers missed messages)" : ""));
        report.errors(errors);
        report.require(lost == 0, "every receiver got every message sent, within " + settle + " s of the last send");
        report.require(dups == 0, "no message delivered twice");
        report.require(disordered == 0, "each sender's messages arrived in the order sent");
        if (inflight() == 0) {
            report.target(perReceiver >= 0.99 * offered(), "kept up with the offered " + Report.num(offered()) + " msgs/s");
            latencyTargets(report, offered(), all);
        }
        return report;
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
    private void awaitJoins(Watcher watcher, Inbox[] inboxes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + joinTimeout * 1_000_000_000L;
        while (true) {
            int missing = 0;
            for (Inbox in : inboxes) {
                missing += watcher.joined.contains(in.nick) ? 0 : 1;
            }
            if (missing == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(missing + " of " + inboxes.length + " receivers' JOINs not seen on alpha after " + joinTimeout + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Sends probes from alpha until one has reached every receiver: the channel is linked end to end. */
    private void probe(IrcClient watch, Inbox[] inboxes) throws Exception {
        long deadline = System.nanoTime() + linkTimeout * 1_000_000_000L;
        for (int k = 0; !allProbed(inboxes); k++) {
            if (System.nanoTime() > deadline) {
                throw new Unavailable("the link is up but messages from alpha did not reach every receiver in " + linkTimeout + " s");
            }
            watch.privmsg(CHANNEL, PROBE + k);
            Thread.sleep(500);
        }
    }

    private static boolean allProbed(Inbox[] inboxes) {
        for (Inbox in : inboxes) {
            if (!in.probed) {
                return false;
            }
        }
        return true;
    }

    /** One sender's loop, open or closed, until {@code end}; a failed write ends it. */
    private void send(IrcClient client, int sender, Semaphore window, long start, long measureFrom, long end,
            AtomicIntegerArray sent, LongAdder sentInWindow) {
        long interval = window == null ? (long) (1e9 / (offered() / senders)) : 0;
        long due = start + interval * sender / senders; // staggered, so that the senders do not all fire at once
        try {
            for (int seq = 0; due < end; seq++, due += interval) {
                if (window != null) {
                    long left = end - System.nanoTime();
                    if (left <= 0 || !window.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    due = System.nanoTime();
                } else {
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() >= end) {
                        return; // held back past the end: what is still due is not sent
                    }
                }
                client.privmsg(CHANNEL, new Stamp(sender, seq, due).text());
                sent.set(sender, seq + 1);
                if (due >= measureFrom) {
                    sentInWindow.increment();
                }
            }
        } catch (IOException e) {
            errors.add("PRIVMSG", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the senders to stop; one still blocked writing by {@code deadlineNanos} (the server stopped
     * reading its socket) has its connection closed, and that is an error.
     */
    private void awaitSenders(Thread[] threads, IrcClient[] out, long deadlineNanos) throws InterruptedException {
        for (int s = 0; s < threads.length; s++) {
            threads[s].join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
            if (threads[s].isAlive()) {
                errors.add("PRIVMSG blocked", out[s].nick + " still blocked writing " + settle + " s after the end: connection closed");
                out[s].close();
                threads[s].join();
            }
        }
    }

    /** Waits until every receiver has {@code total} messages, or {@code deadlineNanos}. */
    private static void settle(Inbox[] inboxes, long total, long deadlineNanos) throws InterruptedException {
        for (Inbox in : inboxes) {
            while (in.deliveries.delivered() < total && System.nanoTime() < deadlineNanos) {
                Thread.sleep(20);
            }
        }
    }
}
