package chatd.server.federation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured peer and its sender: an explicit state machine (down → connecting → up → down…)
 * driven by one virtual thread. While not up it dials (the shared-key handshake) with capped
 * exponential backoff; once up it drains the peer's durable outbox in order, with up to
 * {@link PeerSender#IN_FLIGHT} batches in flight, reading rows from memory ({@link OutboxTail}) and
 * deleting them from the store only when the peer acknowledged them; it sends an empty signed batch as a
 * heartbeat when idle so that a dead peer is noticed. A 429 waits Retry-After and resends from the first
 * unacknowledged row (nothing lost); a transport error or an authentication refusal drops the link and
 * redials.
 *
 * <p>The link may also come up from the other side (the peer dialled us): {@link #up()} then wakes the
 * sender. Both ends dialling at once is harmless: a link is only "this peer proved the key and we know
 * its server key", so two handshakes converge on the same state.
 */
final class PeerLink {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    static final long INITIAL_BACKOFF_MS = 250;
    static final long MAX_BACKOFF_MS = 8_000;
    static final long HEARTBEAT_MS = 3_000;

    enum State { DOWN, CONNECTING, UP;
        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a step of the sender came to (WAITING: batches are in flight, or it waited for work). */
    enum Outcome { DELIVERED, WAITING, THROTTLED, REFUSED, FAILED }

    /** A relay request in flight: the last outbox seq it carries (0 for a heartbeat), and its answer (null: failed). */
    record Batch(long last, CompletableFuture<FederationHttp.Answer> answer) {}

    /** The sender's view of the federation: dialling, reading the outbox and posting batches. */
    interface Transport {
        boolean dial(PeerLink link);

        /** Sends what is queued (or a heartbeat when idle) and handles the oldest answer that is in. */
        Outcome sendNext(PeerLink link);

        void linkDown(PeerLink link);
    }

    private final String name;
    private final Transport transport;
    private final OutboxTail tail = new OutboxTail();
    /** Oldest first; only the sender thread touches it. Cleared when a batch fails: resending starts after {@link #acked}. */
    private final Deque<Batch> inFlight = new ArrayDeque<>();
    /** The last outbox seq the peer acknowledged in this run (its row may not be deleted yet). */
    private volatile long acked;
    /** Whether a delete of acknowledged outbox rows waits in the journal: acks that come meanwhile ride along with it. */
    private final AtomicBoolean ackDeleteQueued = new AtomicBoolean();
    /** Events dropped from this peer's outbox by its bounds (FEDERATION_OUTBOX_MAX, _MAX_AGE) in this run. */
    private final AtomicLong dropped = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    private volatile String url;
    private volatile String linkKey;
    private volatile State state = State.DOWN;
    private final Clock clock;
    private volatile long sinceMillis;
    private volatile long lastSeenMillis;
    private final LongAdder refused = new LongAdder();
    private volatile long retryAfterMillis;
    private volatile boolean stopped;
    private long backoff = INITIAL_BACKOFF_MS;
    private long nextAttempt;
    private Thread thread;

    PeerLink(String name, String url, String linkKey, Transport transport, Clock clock) {
        this.name = name;
        this.url = url;
        this.linkKey = linkKey;
        this.transport = transport;
        this.clock = clock;
        this.sinceMillis = clock.millis();
    }

    String name() {
        return name;
    }

    String url() {
        return url;
    }

    void url(String value) {
        url = value;
    }

    String linkKey() {
        return linkKey;
    }

    void linkKey(String value) {
        linkKey = value;
    }

    State state() {
        return state;
    }

    long sinceMillis() {
        return sinceMillis;
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    void seen() {
        lastSeenMillis = clock.millis();
    }

    /** Events this peer sent that were refused (bad signature, forged sender, unknown origin...). */
    void refused(int count) {
        refused.add(count);
    }

    long refusedTotal() {
        return refused.sum();
    }

    OutboxTail tail() {
        return tail;
    }

    Deque<Batch> inFlight() {
        return inFlight;
    }

    long acked() {
        return acked;
    }

    void acked(long seq) {
        acked = seq;
        tail.ack(seq);
    }

    /** True when the caller is to queue a delete of acknowledged rows: none waits in the journal yet. */
    boolean claimAckDelete() {
        return ackDeleteQueued.compareAndSet(false, true);
    }

    /** The queued delete is being written: acks from now on queue a new one. Answers the last acked seq, which it covers. */
    long ackDeleteWritten() {
        ackDeleteQueued.set(false);
        return acked;
    }

    /** Rows up to {@code upToSeq} were dropped from the outbox by its bounds: they are not sent. */
    void trimmed(FederationStore.Trimmed trimmed) {
        dropped.addAndGet(trimmed.rows());
        tail.ack(trimmed.upToSeq());
    }

    long dropped() {
        return dropped.get();
    }

    /** An outbox row for this peer was committed: keep it in memory and wake the sender. */
    void queued(long seq, String event) {
        tail.add(seq, event);
        wake();
    }

    /** The peer asked us to wait (429): the sender pauses until then and retries the same batch. */
    void retryAfter(long seconds) {
        retryAfterMillis = clock.millis() + Math.max(1, seconds) * 1000;
    }

    void start() {
        thread = Thread.ofVirtual().name("chatd-peer-" + name).start(this::run);
    }

    void stop() {
        stopped = true;
        wake();
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Work may be waiting (new outbox rows, the link came up): the sender looks now. */
    void wake() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The handshake succeeded (either side dialled). */
    void up() {
        if (state != State.UP) {
            transition(State.UP);
        }
        seen();
        lock.lock();
        try {
            backoff = INITIAL_BACKOFF_MS;
            nextAttempt = 0;
        } finally {
            lock.unlock();
        }
        wake();
    }

    private void run() {
        while (!stopped) {
            try {
                step();
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("link {}: {}", name, e.toString());
                fail();
            }
        }
    }

    private void step() throws InterruptedException {
        long now = clock.millis();
        if (retryAfterMillis > now) {
            pause(retryAfterMillis - now, false);
            return;
        }
        if (state != State.UP) {
            if (nextAttempt > now) {
                pause(nextAttempt - now, true);
                return;
            }
            transition(State.CONNECTING);
            if (transport.dial(this)) {
                up();
            } else {
                fail();
            }
            return;
        }
        switch (transport.sendNext(this)) {
            case DELIVERED -> seen();
            case WAITING -> { }
            case THROTTLED -> inFlight.clear();
            case REFUSED, FAILED -> fail();
        }
    }

    /** Called by the transport when the outbox is empty: waits for work, answers whether woken. */
    boolean idle() throws InterruptedException {
        return pause(HEARTBEAT_MS, true);
    }

    private boolean pause(long millis, boolean wakeable) throws InterruptedException {
        lock.lock();
        try {
            if (wakeable && signalled) {
                signalled = false;
                return true;
            }
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (nanos > 0 && !stopped) {
                nanos = wake.awaitNanos(nanos);
                if (wakeable && signalled) {
                    signalled = false;
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void fail() {
        inFlight.clear();
        boolean wasUp = state == State.UP;
        transition(State.DOWN);
        lock.lock();
        try {
            nextAttempt = clock.millis() + backoff;
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        } finally {
            lock.unlock();
        }
        if (wasUp) {
            transport.linkDown(this);
        }
    }

    private void transition(State next) {
        if (state == next) {
            return;
        }
        if (!(state == State.DOWN && next == State.CONNECTING) && !(state == State.CONNECTING && next == State.DOWN)) {
            LOG.info("link {}: {} -> {}", name, state.wire(), next.wire());
            sinceMillis = clock.millis();
        } else if (state == State.DOWN && next == State.CONNECTING && sinceMillis == 0) {
            sinceMillis = clock.millis();
        }
        state = next;
    }

    String sinceText() {
        return Instant.ofEpochMilli(sinceMillis).toString();
    }
}
