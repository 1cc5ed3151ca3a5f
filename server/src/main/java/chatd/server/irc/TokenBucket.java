package chatd.server.irc;

import java.util.function.LongSupplier;

/**
 * Flood control per connection, "fakelag" style as in ircd-hybrid and ergo: a client may send a burst of
 * lines at once, then one line per interval. A line over the budget is not refused: the connection's
 * reader just waits until the bucket has a token again, so a flooding client slows itself down and
 * everyone else's traffic is unaffected. Time is injected so that tests need no sleeps.
 */
final class TokenBucket {
    private final long capacity;
    private final long nanosPerToken;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;

    /**
     * @param burst         lines that may be sent back to back
     * @param linesPerSecond sustained rate once the burst is used
     */
    TokenBucket(int burst, double linesPerSecond, LongSupplier nanoClock) {
        this.capacity = burst;
        this.nanosPerToken = (long) (1_000_000_000L / linesPerSecond);
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastRefill = nanoClock.getAsLong();
    }

    /** Takes one token; answers how many nanoseconds the caller must wait first (0 = go now). */
    long take() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (double) (now - lastRefill) / nanosPerToken);
        lastRefill = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) (-tokens * nanosPerToken);
    }
}
