package chatd.server.federation;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of events already applied here, for a window of time (and at most {@code max} of them), so
 * that an event reaching this server twice — through a cycle, or resent after a lost acknowledgement —
 * is applied once. The window is persisted with each batch (table {@code federation_seen}) and restored
 * at start-up; time comes from an {@link InstantSource} so tests can move it. Guarded by the state lock.
 */
final class Dedup {
    private final InstantSource clock;
    private final long windowMillis;
    private final int max;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    Dedup(InstantSource clock, Duration window, int max) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.max = max;
    }

    /** True the first time an id is offered (and remembers it); false for a duplicate. */
    boolean firstTime(String id) {
        prune();
        if (seen.containsKey(id)) {
            return false;
        }
        seen.put(id, clock.millis());
        return true;
    }

    /** Forgets an id whose application was not committed, so that a resend is applied. */
    void forget(String id) {
        seen.remove(id);
    }

    void restore(String id, long atMillis) {
        seen.put(id, atMillis);
    }

    int size() {
        return seen.size();
    }

    long cutoffMillis() {
        return clock.millis() - windowMillis;
    }

    private void prune() {
        long cutoff = cutoffMillis();
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() >= cutoff && seen.size() <= max) {
                break;
            }
            it.remove();
        }
    }
}
