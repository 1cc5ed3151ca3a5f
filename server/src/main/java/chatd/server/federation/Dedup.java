package chatd.server.federation;

import chatd.server.core.IdRing;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The ids of events already applied here, for a window of time (and at most {@code max} of them), so
 * that an event reaching this server twice — through a cycle, or resent after a lost acknowledgement —
 * is applied once. Past {@code max} the oldest go first, so the ids a resend would repeat are the last
 * to go. Kept in an {@link IdRing} (about 40 bytes an id, outside the collector's reach), stamped with the time
 * each was seen; the window is persisted with each batch (table {@code federation_seen}) and restored at
 * start-up; time comes from an {@link InstantSource} so tests can move it.
 */
final class Dedup {
    private final InstantSource clock;
    private final long windowMillis;
    private final IdRing seen;

    Dedup(InstantSource clock, Duration window, int max) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.seen = new IdRing(max);
    }

    /** True the first time an id is offered (and remembers it); false for a duplicate. */
    synchronized boolean firstTime(String id) {
        long now = clock.millis();
        long cutoff = now - windowMillis;
        seen.dropOlderThan(cutoff);
        if (seen.add(id, now)) {
            return true;
        }
        if (seen.stampOf(id) >= cutoff) {
            return false;
        }
        seen.remove(id); // restored out of order and past its window: seen anew
        seen.add(id, now);
        return true;
    }

    /** Forgets an id whose application was not committed, so that a resend is applied. */
    synchronized void forget(String id) {
        seen.remove(id);
    }

    synchronized void restore(String id, long atMillis) {
        seen.add(id, atMillis);
    }

    synchronized int size() {
        seen.dropOlderThan(cutoffMillis());
        return seen.size();
    }

    long cutoffMillis() {
        return clock.millis() - windowMillis;
    }
}
