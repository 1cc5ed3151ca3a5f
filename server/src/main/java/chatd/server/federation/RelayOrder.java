package chatd.server.federation;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a peer's pipelined relay batches in the order it sent them. A sender has up to
 * {@link PeerSender#IN_FLIGHT} batches in flight; each names its sender run, the last outbox seq it
 * carries, and — when an earlier batch was still unacknowledged as it left — that batch's last seq
 * ({@code prev}). A batch with a {@code prev} is applied only once a batch of the same run reaching at
 * least {@code prev} has been applied here: batches are contiguous ranges, so by then everything before
 * it has been. A batch sent with nothing unacknowledged before it needs no wait.
 */
final class RelayOrder {
    private record Position(String run, long seq) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<String, Position> applied = new HashMap<>();

    /** Waits until {@code peer}'s batches up to {@code prev} of {@code run} are applied; false on timeout. */
    boolean awaitTurn(String peer, String run, long prev, long timeoutMillis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (!reached(applied.get(peer), run, prev)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A batch of {@code run} ending at {@code last} is applied. */
    void applied(String peer, String run, long last) {
        lock.lock();
        try {
            Position at = applied.get(peer);
            if (!reached(at, run, last)) {
                applied.put(peer, new Position(run, last));
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean reached(Position at, String run, long seq) {
        return at != null && at.run().equals(run) && at.seq() >= seq;
    }
}
