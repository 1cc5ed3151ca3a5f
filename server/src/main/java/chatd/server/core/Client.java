package chatd.server.core;

/**
 * One device of a session, with its own token and delivery cursor. {@code floorSeq} is the journal
 * position when the client was created: it never sees entries older than itself.
 */
public final class Client {
    static final double HOT_ENTRIES_PER_SECOND = 30;
    private final long id;
    private final Session session;
    private final String tokenHash;
    private final long floorSeq;
    private final String device;
    private volatile long ackedSeq;
    private volatile long persistedAckedSeq;
    private volatile long lastSeenMillis;
    private volatile boolean removed;
    private long dropped;
    private long answeredNanos = System.nanoTime();
    /** Entries per second in recent answers (a moving average); guarded by the session's inbox lock. */
    private double entryRate;
    private final java.util.concurrent.atomic.AtomicInteger pollsWaiting = new java.util.concurrent.atomic.AtomicInteger();

    public Client(long id, Session session, String tokenHash, long floorSeq, String device, long ackedSeq, long lastSeenMillis) {
        this.id = id;
        this.session = session;
        this.tokenHash = tokenHash;
        this.floorSeq = floorSeq;
        this.device = device;
        this.ackedSeq = Math.max(ackedSeq, floorSeq);
        this.persistedAckedSeq = this.ackedSeq;
        this.lastSeenMillis = lastSeenMillis;
    }

    public long id() {
        return id;
    }

    public Session session() {
        return session;
    }

    public String tokenHash() {
        return tokenHash;
    }

    public long floorSeq() {
        return floorSeq;
    }

    public String device() {
        return device;
    }

    public long ackedSeq() {
        return ackedSeq;
    }

    /** Records that the client has everything up to {@code seq}; never moves backwards. */
    void acknowledge(long seq) {
        if (seq > ackedSeq) {
            ackedSeq = seq;
        }
    }

    long persistedAckedSeq() {
        return persistedAckedSeq;
    }

    void markPersisted(long seq) {
        persistedAckedSeq = seq;
    }

    /** Logged out, expired or quit: its token no longer authenticates. */
    public boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    public void touch(long nowMillis) {
        lastSeenMillis = nowMillis;
    }

    /** A client waiting in a long-poll is present, however long the poll lasts. */
    void pollStarted() {
        pollsWaiting.incrementAndGet();
    }

    void pollEnded(long nowMillis) {
        lastSeenMillis = nowMillis;
        pollsWaiting.decrementAndGet();
    }

    /** Idle: no request for longer than the cutoff and no long-poll waiting now. */
    boolean idleSince(long cutoffMillis) {
        return lastSeenMillis < cutoffMillis && pollsWaiting.get() == 0;
    }

    /** Entries lost to queue overflow since the last read; guarded by the session's inbox lock. */
    long takeDropped() {
        long d = dropped;
        dropped = 0;
        return d;
    }

    /** When a poll was last answered with entries; guarded by the session's inbox lock. */
    long answeredNanos() {
        return answeredNanos;
    }

    void answered(long nanos, int entries) {
        double perSecond = entries * 1e9 / Math.max(1, nanos - answeredNanos);
        entryRate = entryRate * 0.75 + perSecond * 0.25;
        answeredNanos = nanos;
    }

    /** Receiving more than a chat client reads one by one: its answers are spaced (see Inbox). */
    boolean hot() {
        return entryRate > HOT_ENTRIES_PER_SECOND;
    }

    void addDropped(long count) {
        dropped += count;
    }
}
