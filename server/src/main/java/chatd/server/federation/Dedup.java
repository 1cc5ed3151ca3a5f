package chatd.server.federation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The ids of events already applied here, for a window of time (and at most {@code max} of them), so
 * that an event reaching this server twice — through a cycle, or resent after a lost acknowledgement —
 * is applied once. The window is persisted with each batch (table {@code federation_seen}) and restored at
 * start-up; time comes from an {@link InstantSource} so tests can move it.
 *
 * <p>Each id is kept as a 128-bit fingerprint in primitive arrays: a ring in the order ids were seen, and an
 * open-addressing index into it. An id lives for the whole window, so on a busy link every one outlives
 * the young generation; as objects (a string, a map node, a timer entry: ~200 bytes each, up to
 * {@code max}) they filled the old generation and kept G1 marking and mixed-collecting, and lengthened
 * every young pause with their references into it. Here an id costs 32 bytes that the collector never
 * scans. Past {@code max} the oldest go first, so the ids a resend would repeat are the last to go.
 */
final class Dedup {
    private static final int FIRST_CAPACITY = 1024;
    private static final long DEAD = Long.MIN_VALUE;

    private final InstantSource clock;
    private final long windowMillis;
    private final int max;
    private final Fingerprints fingerprints = new Fingerprints();

    /** The ring, oldest at {@code head}: each entry's fingerprint and when it was seen ({@link #DEAD}: forgotten). */
    private long[] high;
    private long[] low;
    private long[] seenAt;
    private int head;
    private int count;
    private int forgotten;
    /** Open addressing with linear probing: ring position + 1, 0 for an empty slot. */
    private int[] index;

    Dedup(InstantSource clock, Duration window, int max) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.max = max;
        allocate(Math.min(FIRST_CAPACITY, max));
    }

    /** True the first time an id is offered (and remembers it); false for a duplicate. */
    synchronized boolean firstTime(String id) {
        long now = clock.millis();
        expire(now - windowMillis);
        long[] fp = fingerprints.of(id);
        int slot = find(fp[0], fp[1]);
        if (slot >= 0) {
            int at = index[slot] - 1;
            if (seenAt[at] >= now - windowMillis) {
                return false;
            }
            remove(slot, at); // restored out of order and past its window: seen anew
        }
        add(fp[0], fp[1], now);
        return true;
    }

    /** Forgets an id whose application was not committed, so that a resend is applied. */
    synchronized void forget(String id) {
        long[] fp = fingerprints.of(id);
        int slot = find(fp[0], fp[1]);
        if (slot >= 0) {
            remove(slot, index[slot] - 1);
        }
    }

    synchronized void restore(String id, long atMillis) {
        long[] fp = fingerprints.of(id);
        if (find(fp[0], fp[1]) < 0) {
            add(fp[0], fp[1], atMillis);
        }
    }

    synchronized int size() {
        expire(cutoffMillis());
        return count - forgotten;
    }

    long cutoffMillis() {
        return clock.millis() - windowMillis;
    }

    private void add(long h, long l, long atMillis) {
        if (count == high.length) {
            if (forgotten > 0) {
                rebuild(high.length); // forgotten ids leave the ring: at most max live ones, exactly
            } else if (high.length < max) {
                rebuild(Math.min(max, high.length * 2));
            } else {
                dropOldest();
            }
        }
        int at = (head + count) % high.length;
        high[at] = h;
        low[at] = l;
        seenAt[at] = atMillis;
        count++;
        int slot = home(h, l);
        while (index[slot] != 0) {
            slot = (slot + 1) & (index.length - 1);
        }
        index[slot] = at + 1;
    }

    /** Drops the oldest entries seen before the cutoff (and forgotten ones on the way). */
    private void expire(long cutoffMillis) {
        while (count > 0 && seenAt[head] < cutoffMillis) {
            dropOldest();
        }
    }

    private void dropOldest() {
        if (seenAt[head] == DEAD) {
            forgotten--;
        } else {
            unindex(find(high[head], low[head]));
        }
        head = (head + 1) % high.length;
        count--;
    }

    /** Removes an entry from the index and marks its place in the ring; the ring gives it up when it is oldest. */
    private void remove(int slot, int at) {
        unindex(slot);
        seenAt[at] = DEAD;
        forgotten++;
    }

    /** The index slot that holds this fingerprint, or -1. */
    private int find(long h, long l) {
        for (int slot = home(h, l); index[slot] != 0; slot = (slot + 1) & (index.length - 1)) {
            int at = index[slot] - 1;
            if (high[at] == h && low[at] == l) {
                return slot;
            }
        }
        return -1;
    }

    /** Empties an index slot by backward-shift deletion: later entries of its probe run move up. */
    private void unindex(int emptied) {
        int mask = index.length - 1;
        index[emptied] = 0;
        int gap = emptied;
        for (int slot = (gap + 1) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
            int at = index[slot] - 1;
            int home = home(high[at], low[at]);
            // the entry may move into the gap unless its home lies cyclically in (gap, slot]
            boolean homeBetween = gap <= slot ? home > gap && home <= slot : home > gap || home <= slot;
            if (!homeBetween) {
                index[gap] = index[slot];
                index[slot] = 0;
                gap = slot;
            }
        }
    }

    private int home(long h, long l) {
        long mixed = (h ^ Long.rotateLeft(l, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 32) & (index.length - 1);
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        seenAt = new long[capacity];
        index = new int[Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2]; // at most half full
        head = 0;
        count = 0;
        forgotten = 0;
    }

    /** A ring of this capacity with the live entries, oldest first, and its index; forgotten ones are left behind. */
    private void rebuild(int capacity) {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldSeen = seenAt;
        int oldHead = head;
        int oldCount = count;
        allocate(capacity);
        for (int i = 0; i < oldCount; i++) {
            int at = (oldHead + i) % oldHigh.length;
            if (oldSeen[at] != DEAD) {
                add(oldHigh[at], oldLow[at], oldSeen[at]);
            }
        }
    }

    /**
     * An id's 128 bits: a canonical lower-case UUID (what chatd servers send) as itself, any other string
     * as a SHA-256 keyed with a secret of this process, so no peer can make two ids meet.
     */
    static final class Fingerprints {
        private final byte[] key = new byte[16];

        Fingerprints() {
            new SecureRandom().nextBytes(key);
        }

        long[] of(String id) {
            long[] uuid = canonicalUuid(id);
            return uuid != null ? uuid : hashed(id);
        }

        private long[] hashed(String id) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(key);
                byte[] d = sha.digest(id.getBytes(StandardCharsets.UTF_8));
                long h = 0;
                long l = 0;
                for (int i = 0; i < 8; i++) {
                    h = h << 8 | (d[i] & 0xff);
                    l = l << 8 | (d[8 + i] & 0xff);
                }
                return new long[] {h, l};
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        /** The 128 bits of {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} in lower-case hex, or null. */
        static long[] canonicalUuid(String id) {
            if (id.length() != 36) {
                return null;
            }
            long[] bits = new long[2];
            int digits = 0;
            for (int i = 0; i < 36; i++) {
                char c = id.charAt(i);
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    if (c != '-') {
                        return null;
                    }
                    continue;
                }
                int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (v < 0) {
                    return null;
                }
                bits[digits / 16] = bits[digits / 16] << 4 | v;
                digits++;
            }
            return bits;
        }
    }

}
