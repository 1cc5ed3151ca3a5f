package chatd.server.irc;

import chatd.server.http.RateLimiter;

/**
 * Flood control of one connection ("fakelag"): beyond its class's budget of lines, the reader waits
 * before handling the next one, so the flooder is slowed and nobody else is. A class without a line
 * limit has no limiter: its lines are never held back. Reader thread only.
 */
final class Fakelag {
    /** This connection's key in its class's limiter: its remote address and port. */
    private final String key;
    private RateLimiter limiter;

    Fakelag(String key, RateLimiter limiter) {
        this.key = key;
        this.limiter = limiter;
    }

    /** Registration put the connection in another class: its lines count against that class's limit from now on. */
    void switchTo(RateLimiter classLimiter) {
        this.limiter = classLimiter;
    }

    /**
     * Charges one line, waiting out its lag first: false when the peer hung up meanwhile (its backlog
     * goes unread) or the reader was interrupted.
     */
    boolean admit(ReceiveQueue received) {
        long lag = limiter == null ? 0 : limiter.lag(key);
        if (lag <= 0) {
            return true;
        }
        try {
            return !received.awaitPeerClosed(lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
