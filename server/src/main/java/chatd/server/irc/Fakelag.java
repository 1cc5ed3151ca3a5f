package chatd.server.irc;

import chatd.server.http.RateLimiter;

/**
 * Flood control of one connection ("fakelag"): beyond its budget of lines, the reader waits before
 * handling the next one, so the flooder is slowed and nobody else is.
 */
final class Fakelag {
    private final RateLimiter flood;
    /** This connection's key in the flood limiter: its remote address and port. */
    private final String key;

    Fakelag(RateLimiter flood, String key) {
        this.flood = flood;
        this.key = key;
    }

    /**
     * Charges one line, waiting out its lag first: false when the peer hung up meanwhile (its backlog
     * goes unread) or the reader was interrupted.
     */
    boolean admit(ReceiveQueue received) {
        long lag = flood.lag(key);
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
