package chatd.server.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The delivery queue of one session: committed entries in journal order, read by every client of the
 * session from its own cursor. Entries hold the serialised envelope shared by all recipients (stored
 * once). Readers wait on a condition that only an append signals, so idle waiters cost nothing.
 */
public final class Inbox {
    private final Session session;
    private final int queueMax;
    /** tier 1 */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private volatile boolean closed;

    Inbox(Session session, int queueMax) {
        this.session = session;
        this.queueMax = queueMax;
    }

    /** One queued envelope; {@code clientId} 0 means every client of the session. */
    public record Entry(long seq, long clientId, byte[] json) {
        boolean visibleTo(Client client) {
            return (clientId == 0 || clientId == client.id()) && seq > client.floorSeq();
        }
    }

    /** What a poll answers: entries, the cursor to send next, and how many were lost to overflow. */
    public record Batch(List<Entry> entries, long lastSeq, long dropped) {}

    /** Appends a committed entry (called in journal order) and wakes the readers. */
    public void append(Entry entry) {
        lock.lock();
        try {
            entries.addLast(entry);
            if (entries.size() > queueMax) {
                Entry lost = entries.removeFirst();
                for (Client c : session.clients()) {
                    if (lost.visibleTo(c) && lost.seq() > c.ackedSeq()) {
                        c.addDropped(1);
                    }
                }
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers the client's entries after {@code after}, waiting up to {@code timeout} for the first one.
     * Polling acknowledges {@code after}: entries every client has acknowledged are discarded.
     */
    public Batch read(Client client, long after, int limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            client.acknowledge(after);
            discardAcknowledged();
            while (true) {
                List<Entry> out = collect(client, after, limit);
                long wait = deadline - System.nanoTime();
                if (!out.isEmpty() || wait <= 0 || closed) {
                    long last = out.isEmpty() ? after : out.getLast().seq();
                    return new Batch(out, last, client.takeDropped());
                }
                arrived.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting reader (shutdown, client removed) so it answers now. */
    public void wakeAll() {
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Server shutdown: every waiting and future read answers at once. */
    public void close() {
        closed = true;
        wakeAll();
    }

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private List<Entry> collect(Client client, long after, int limit) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.descendingIterator();
        // Newest first until we pass the cursor: polls near the head stay O(new entries).
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.seq() <= after) {
                break;
            }
            if (e.visibleTo(client)) {
                out.add(e);
            }
        }
        List<Entry> ordered = out.reversed();
        return ordered.size() > limit ? new ArrayList<>(ordered.subList(0, limit)) : new ArrayList<>(ordered);
    }

    private void discardAcknowledged() {
        long min = Long.MAX_VALUE;
        for (Client c : session.clients()) {
            min = Math.min(min, c.ackedSeq());
        }
        while (!entries.isEmpty() && entries.peekFirst().seq() <= min) {
            entries.removeFirst();
        }
    }
}
