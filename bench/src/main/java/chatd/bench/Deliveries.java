package chatd.bench;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What one receiving client got from the benchmark senders: each (sender, seq) once, whether it came
 * after a later one of the same sender (out of order), and its send-to-delivery latency. Fed by the
 * client's own reader thread; read by others while it runs and after it stopped.
 */
final class Deliveries {
    private final Histogram latency;
    private final Map<Integer, BitSet> seen = new HashMap<>();
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile long delivered;
    private volatile long duplicates;
    private volatile long outOfOrder;
    private volatile long lastDeliveryNanos;

    Deliveries(Histogram latency) {
        this.latency = latency;
    }

    /** Latency is recorded for messages sent at or after this instant (warm-up excluded). */
    void measureFrom(long nanos) {
        measureFromNanos = nanos;
    }

    /** Records one delivery at {@code nowNanos}; answers false for a duplicate. */
    synchronized boolean record(int sender, int seq, long sentNanos, long nowNanos) {
        BitSet bits = seen.computeIfAbsent(sender, k -> new BitSet());
        if (bits.get(seq)) {
            duplicates++;
            return false;
        }
        if (bits.length() > seq) {
            outOfOrder++; // a later message of this sender arrived first
        }
        bits.set(seq);
        delivered++;
        lastDeliveryNanos = nowNanos;
        if (sentNanos >= measureFromNanos) {
            latency.recordNanos(nowNanos - sentNanos);
        }
        return true;
    }

    /** Distinct messages delivered, from all senders. */
    long delivered() {
        return delivered;
    }

    long duplicates() {
        return duplicates;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** Messages of {@code sender} in {@code expected} not delivered here. */
    synchronized long missing(int sender, BitSet expected) {
        BitSet lost = (BitSet) expected.clone();
        BitSet got = seen.get(sender);
        if (got != null) {
            lost.andNot(got);
        }
        return lost.cardinality();
    }

    /** Messages 0 to {@code count} - 1 of {@code sender} not delivered here. */
    synchronized long missing(int sender, int count) {
        BitSet got = seen.get(sender);
        return count - (got == null ? 0 : got.get(0, count).cardinality());
    }
}
