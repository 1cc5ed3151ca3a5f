package chatd.server.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The delivery queue of one session: committed entries in journal order, read by every client of the
 * session from its own cursor. Entries hold the serialised envelope shared by all recipients (stored
 * once). A poll that finds nothing registers a waiter and returns: the append that brings it something,
 * its timeout or shutdown answers it, so a waiting poll holds no thread.
 */
public final class Inbox {
    private final Session session;
    private final int queueMax;
    private final PollTimer timer;
    /** tier 1 */
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>(1);
    private long lastAppended;
    private volatile boolean closed;

    Inbox(Session session, int queueMax, PollTimer timer) {
        this.session = session;
        this.queueMax = queueMax;
        this.timer = timer;
    }

    /**
     * One queued envelope; {@code clientId} 0 means every client of the session. {@code acceptedMillis}
     * is when this server accepted it (its push latency is measured from there without parsing it).
     */
    public record Entry(long seq, long clientId, byte[] json, long acceptedMillis) {
        public Entry(long seq, long clientId, byte[] json) {
            this(seq, clientId, json, -1);
        }

        boolean visibleTo(Client client) {
            return (clientId == 0 || clientId == client.id()) && seq > client.floorSeq();
        }
    }

    /** What a poll answers: entries, the cursor to send next, and how many were lost to overflow. */
    public record Batch(List<Entry> entries, long lastSeq, long dropped) {}

    /** A registered poll; {@link #cancel()} withdraws it (the reader went away). */
    public final class Waiter {
        private final Client client;
        private final long after;
        private final int limit;
        private final Consumer<Batch> answer;
        private ScheduledFuture<?> timeout;

        private Waiter(Client client, long after, int limit, Consumer<Batch> answer) {
            this.client = client;
            this.after = after;
            this.limit = limit;
            this.answer = answer;
        }

        /** Answers whether it was still waiting (it will then never be answered). */
        public boolean cancel() {
            lock.lock();
            try {
                if (!waiters.remove(this)) {
                    return false;
                }
                timeout.cancel(false);
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Appends a committed entry (called in journal order) and answers the waiters it concerns. */
    public void append(Entry entry) {
        List<Runnable> due = new ArrayList<>(1);
        append(entry, due);
        timer.answer(due);
    }

    /**
     * As {@link #append(Entry)}, adding the answers now due to {@code due} for the caller to hand over.
     * A due answer is put together when it runs, not now: whatever arrived for its reader meanwhile (the
     * rest of this commit, the commits after it while the answering thread is behind) goes in the same
     * answer. Nothing waits on purpose: a reader is answered as soon as the answering thread gets to it.
     */
    void append(Entry entry, List<Runnable> due) {
        lock.lock();
        try {
            entries.addLast(entry);
            lastAppended = entry.seq();
            if (entries.size() > queueMax) {
                Entry lost = entries.removeFirst();
                for (Client c : session.clients()) {
                    if (lost.visibleTo(c) && lost.seq() > c.ackedSeq()) {
                        c.addDropped(1);
                    }
                }
            }
            for (int i = 0; i < waiters.size(); i++) {
                Waiter w = waiters.get(i);
                if (entry.seq() > w.after && entry.visibleTo(w.client)) {
                    waiters.remove(i--);
                    w.timeout.cancel(false);
                    due.add(() -> answer(w));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers the client's entries after {@code after} through {@code answer}: now when there are some
     * (or {@code timeout} is zero, or the inbox is closed), else when some arrive or the timeout ends.
     * Polling acknowledges {@code after}: entries every client has acknowledged are discarded. An answer
     * ready now runs on this thread; a later one on the poll timer's (appends, timeouts), or on the thread
     * that closes the inbox or removes the client. Answers must not block.
     *
     * @throws CursorReset when {@code after} cannot be served (see {@link #requireServable})
     */
    public Waiter await(Client client, long after, int limit, Duration timeout, Consumer<Batch> answer) {
        Waiter w = new Waiter(client, after, limit, answer);
        Batch now;
        lock.lock();
        try {
            requireServable(client, after);
            client.acknowledge(after);
            discardAcknowledged();
            now = batchFor(w);
            if (now.entries().isEmpty() && now.dropped() == 0 && !closed && !timeout.isZero()) {
                w.timeout = timer.after(timeout.toNanos(), () -> expire(w));
                waiters.add(w);
                return w;
            }
        } finally {
            lock.unlock();
        }
        answer.accept(now);
        return w;
    }

    /**
     * Refuses a cursor past anything this client was given (a client restored from an old state would
     * otherwise wait for entries that never come), or below what every client of the session has
     * acknowledged (those entries are gone, so the answer would silently miss them).
     */
    private void requireServable(Client client, long after) {
        long newest = Math.max(lastAppended, client.ackedSeq());
        if (after > newest) {
            throw new CursorReset("after=" + after + " is ahead of the newest entry for this client (" + newest
                    + "): poll from last_id and fill any gap from history", newest);
        }
        long discarded = Long.MAX_VALUE;
        for (Client c : session.clients()) {
            discarded = Math.min(discarded, c.ackedSeq());
        }
        if (Math.max(after, client.floorSeq()) < discarded) {
            throw new CursorReset("the entries after " + after + " were acknowledged and discarded: poll from last_id and "
                    + "fill any gap from history", discarded);
        }
    }

    /** Answers every waiting reader now (shutdown, client removed). */
    public void wakeAll() {
        List<Waiter> woken;
        lock.lock();
        try {
            woken = List.copyOf(waiters);
            waiters.clear();
            woken.forEach(w -> w.timeout.cancel(false));
        } finally {
            lock.unlock();
        }
        woken.forEach(this::answer);
    }

    /** Server shutdown: every waiting and future read answers at once. */
    public void close() {
        closed = true;
        wakeAll();
    }

    /**
     * The oldest seq this queue may still hold: its first entry, or past the last one appended when it
     * is empty. Everything below has been acknowledged or pushed out.
     */
    public long start() {
        lock.lock();
        try {
            return entries.isEmpty() ? lastAppended + 1 : entries.peekFirst().seq();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** The timeout: answered (empty) unless something answered it first. */
    private void expire(Waiter w) {
        lock.lock();
        try {
            if (!waiters.remove(w)) {
                return;
            }
        } finally {
            lock.unlock();
        }
        answer(w);
    }

    /** Answers a waiter taken off the list, with everything it may read by now. */
    private void answer(Waiter w) {
        Batch batch;
        lock.lock();
        try {
            batch = batchFor(w);
        } finally {
            lock.unlock();
        }
        w.answer.accept(batch);
    }

    /** The waiter's answer as of now; under the lock. */
    private Batch batchFor(Waiter w) {
        List<Entry> out = collect(w.client, w.after, w.limit);
        return new Batch(out, out.isEmpty() ? w.after : out.getLast().seq(), w.client.takeDropped());
    }

    /** The newest entry the client may read, or 0: what it has been sent once it has read that far. */
    public long lastVisibleTo(Client client) {
        lock.lock();
        try {
            Iterator<Entry> it = entries.descendingIterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.seq() <= client.floorSeq()) {
                    break;
                }
                if (e.visibleTo(client)) {
                    return e.seq();
                }
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** The client's entries after {@code after}, oldest first, at most {@code limit}. */
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
        Collections.reverse(out);
        if (out.size() > limit) {
            out.subList(limit, out.size()).clear();
        }
        return out;
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
