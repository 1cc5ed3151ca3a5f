package chatd.bench;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * What one receiving IRC client makes of the channel's messages: benchmark messages go into its
 * {@link Deliveries} (and, when they arrive in the measured window, into its side's count), probes only
 * say that the channel reaches it.
 */
final class IrcReceiver implements IrcClient.Listener {
    private static final String PROBE = "probe:";

    final String nick;
    final Deliveries deliveries;
    private final LongAdder inWindow;
    private final IntConsumer onDelivered;
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowUntil = Long.MAX_VALUE;
    private volatile boolean probed;

    /**
     * @param latency     where send-to-delivery latencies go
     * @param inWindow    counts deliveries that arrive in the measured window
     * @param onDelivered told the sender number of each message delivered for the first time
     */
    IrcReceiver(String nick, Histogram latency, LongAdder inWindow, IntConsumer onDelivered) {
        this.nick = nick;
        this.deliveries = new Deliveries(latency);
        this.inWindow = inWindow;
        this.onDelivered = onDelivered;
    }

    /** The text of the {@code k}th probe: a message that is not a benchmark message. */
    static String probe(int k) {
        return PROBE + k;
    }

    /** Measures from {@code from} on: latency of messages sent from then, throughput of arrivals until {@code until}. */
    void measure(long from, long until) {
        deliveries.measureFrom(from);
        windowFrom = from;
        windowUntil = until;
    }

    boolean probed() {
        return probed;
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
                inWindow.increment();
            }
            onDelivered.accept(s.sender());
        }
    }
}
