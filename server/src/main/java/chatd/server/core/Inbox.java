package chatd.server.core;

import chatd.protocol.Envelope;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
    /**
     * A hot client (one receiving more than {@link Client#HOT_ENTRIES_PER_SECOND}) answered less than
     * this ago waits out the rest before its next answer: it gets one answer carrying many entries
     * instead of a round trip per entry (an HTTP answer costs far more than an entry in it), about 10
     * answers a second unless {@link #FULL_ANSWER} entries come sooner. Any other client is answered the
     * moment something arrives.
     */
    static final long ANSWER_SPACING_NANOS = Duration.ofMillis(100).toNanos();
    /**
     * Entries that make an answer worth sending without waiting out the spacing: past this, waiting
     * saves little per entry and only adds latency. A relay batch at 2,000 msgs/s brings ~30 at once,
     * which this lets through; 32 made those wait for the next batch (docs/BENCHMARKS.md, session 6).
     */
    static final int FULL_ANSWER = 24;

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
     * One queued envelope; {@code clientId} 0 means every client of the session. {@code envelope} is the
     * envelope {@code json} was written from, shared by every recipient like the bytes, so that readers in
     * this process (the IRC gateway) never parse it back; null for an entry restored from the store.
     */
    public record Entry(long seq, long clientId, byte[] json, Envelope envelope) {
        public Entry(long seq, long clientId, byte[] json) {
            this(seq, clientId, json, null);
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
        /** False for a reader that writes each entry at once (the IRC gateway): never held back. */
        private final boolean spaced;
        private ScheduledFuture<?> timeout;
        private boolean spacing;
        /** While spacing: entries waiting for this reader. */
        private int waiting;

        private Waiter(Client client, long after, int limit, boolean spaced, Consumer<Batch> answer) {
            this.client = client;
            this.after = after;
            this.limit = limit;
            this.spaced = spaced;
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

    /** As {@link #append(Entry)}, adding the answers now due to {@code due} for the caller to hand over. */
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
                if (entry.seq() <= w.after || !entry.visibleTo(w.client)) {
                    continue;
                }
                if (w.spacing) {
                    if (++w.waiting == FULL_ANSWER) {
                        // Answered just after, on the timer: the rest of this commit goes in the same answer.
                        w.timeout.cancel(false);
                        w.timeout = timer.after(0, () -> expire(w));
                    }
                    continue;
                }
                long hold = holdFor(w);
                w.timeout.cancel(false);
                if (hold > 0) {
                    w.spacing = true;
                    w.waiting = 1;
                    w.timeout = timer.after(hold, () -> expire(w));
                } else {
                    waiters.remove(i--);
                    due.add(w.spaced ? take(w) : () -> takeWhenRun(w).run());
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
     * ready now runs on this thread; a later one on the poll timer's (appends, timeouts, spacing), or on
     * the thread that closes the inbox or removes the client. Answers must not block. A {@code spaced}
     * reader that is hot is answered at most every {@link #ANSWER_SPACING_NANOS}; an unspaced one at once.
     *
     * @throws CursorReset when {@code after} cannot be served (see {@link #requireServable})
     */
    public Waiter await(Client client, long after, int limit, boolean spaced, Duration timeout, Consumer<Batch> answer) {
        Waiter w = new Waiter(client, after, limit, spaced, answer);
        Runnable now;
        lock.lock();
        try {
            requireServable(client, after);
            client.acknowledge(after);
            discardAcknowledged();
            int waiting = waiting(client, after);
            boolean any = waiting > 0;
            long hold = holdFor(w);
            if (closed || timeout.isZero() || (any && (hold <= 0 || waiting >= FULL_ANSWER))) {
                now = take(w);
            } else {
                w.spacing = any;
                w.waiting = waiting;
                w.timeout = timer.after(any ? hold : timeout.toNanos(), () -> expire(w));
                waiters.add(w);
                return w;
            }
        } finally {
            lock.unlock();
        }
        now.run();
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
        List<Runnable> answers = new ArrayList<>();
        lock.lock();
        try {
            for (Waiter w : waiters) {
                w.timeout.cancel(false);
                answers.add(take(w));
            }
            waiters.clear();
        } finally {
            lock.unlock();
        }
        answers.forEach(Runnable::run);
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

    private void expire(Waiter w) {
        Runnable answer;
        lock.lock();
        try {
            if (!waiters.remove(w)) {
                return;
            }
            answer = take(w);
        } finally {
            lock.unlock();
        }
        answer.run();
    }

    /** Builds the waiter's answer under the lock; the returned action delivers it outside. */
    private Runnable take(Waiter w) {
        List<Entry> out = collect(w.client, w.after, w.limit);
        if (!out.isEmpty()) {
            w.client.answered(System.nanoTime(), out.size());
        }
        Batch batch = new Batch(out, out.isEmpty() ? w.after : out.getLast().seq(), w.client.takeDropped());
        return () -> w.answer.accept(batch);
    }

    /**
     * A reader that writes each entry as it comes (never spaced) is answered with what is there when the
     * answer runs, not when it became due: the rest of the commit and whatever came while the answering
     * thread was behind go in the same answer, one wake-up and one socket write instead of one per entry.
     */
    private Runnable takeWhenRun(Waiter w) {
        lock.lock();
        try {
            return take(w);
        } finally {
            lock.unlock();
        }
    }

    /** How long a reader with something to read waits before its answer: 0 unless it is spaced and hot. */
    private static long holdFor(Waiter w) {
        Client client = w.client;
        return w.spaced && client.hot() ? client.answeredNanos() + ANSWER_SPACING_NANOS - System.nanoTime() : 0;
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

    /** How many entries after {@code after} the client may read, counted up to {@link #FULL_ANSWER}. */
    private int waiting(Client client, long after) {
        int count = 0;
        Iterator<Entry> it = entries.descendingIterator();
        while (it.hasNext() && count < FULL_ANSWER) {
            Entry e = it.next();
            if (e.seq() <= after) {
                break;
            }
            if (e.visibleTo(client)) {
                count++;
            }
        }
        return count;
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
