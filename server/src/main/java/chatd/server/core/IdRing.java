package chatd.server.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Ids remembered in the order they came, at most {@code max}, each with a stamp (a time, a flag), the
 * oldest given up first. Not thread-safe: its owner guards it.
 *
 * <p>Ids that must be remembered for minutes or days (a client's idempotency keys, a federation's seen
 * events) outlive the young generation; as objects (a string, a map node, a future: 150–200 bytes each)
 * hundreds of thousands of them filled the old generation, kept G1 marking and mixed-collecting, and
 * lengthened every young pause with their references into it. Here each is 128 bits and a stamp in
 * primitive arrays that the collector never looks into, about 40 bytes with its index (200,000 ids: 8.5
 * MiB retained, against 30 MiB as a map of futures): a ring in the order added and an open-addressing
 * index (linear probing, backward-shift deletion, at most half full) into it. A canonical lower-case UUID,
 * what chatd's servers and clients make, is kept as itself, exactly; any other string as 128 bits of
 * SHA-256 keyed with a secret of this process, so nobody can choose two ids that meet.
 */
public final class IdRing {
    /** {@link #stampOf}'s answer for an id not in the ring. */
    public static final long ABSENT = Long.MIN_VALUE;
    private static final int FIRST_CAPACITY = 1024;

    private final int max;
    private final byte[] key = new byte[16];
    /** The ring, oldest at {@code head}; a removed entry is marked {@link #ABSENT} until it is the oldest. */
    private long[] high;
    private long[] low;
    private long[] stamps;
    private int head;
    private int count;
    private int removed;
    /** Ring position + 1, 0 for an empty slot; at most half full. */
    private int[] index;

    public IdRing(int max) {
        this.max = max;
        new SecureRandom().nextBytes(key);
        allocate(Math.min(FIRST_CAPACITY, max));
    }

    /** The stamp the id was added with, or {@link #ABSENT}. */
    public long stampOf(String id) {
        long[] fp = fingerprint(id);
        int slot = find(fp[0], fp[1]);
        return slot < 0 ? ABSENT : stamps[index[slot] - 1];
    }

    /** Remembers an id not remembered yet (false if it is), giving up the oldest when full. */
    public boolean add(String id, long stamp) {
        long[] fp = fingerprint(id);
        if (find(fp[0], fp[1]) >= 0) {
            return false;
        }
        add(fp[0], fp[1], stamp);
        return true;
    }

    public void remove(String id) {
        long[] fp = fingerprint(id);
        int slot = find(fp[0], fp[1]);
        if (slot >= 0) {
            int at = index[slot] - 1;
            unindex(slot);
            stamps[at] = ABSENT;
            removed++;
        }
    }

    /** Gives up the oldest ids while their stamp is below the cutoff (when stamps are times, in order). */
    public void dropOlderThan(long cutoff) {
        while (count > 0 && stamps[head] < cutoff) {
            dropOldest();
        }
    }

    public int size() {
        return count - removed;
    }

    private void add(long h, long l, long stamp) {
        if (count == high.length) {
            if (removed > 0) {
                rebuild(high.length); // removed ids leave the ring: at most max remembered ones, exactly
            } else if (high.length < max) {
                rebuild(Math.min(max, high.length * 2));
            } else {
                dropOldest();
            }
        }
        int at = (head + count) % high.length;
        high[at] = h;
        low[at] = l;
        stamps[at] = stamp;
        count++;
        int slot = home(h, l);
        while (index[slot] != 0) {
            slot = (slot + 1) & (index.length - 1);
        }
        index[slot] = at + 1;
    }

    private void dropOldest() {
        if (stamps[head] == ABSENT) {
            removed--;
        } else {
            unindex(find(high[head], low[head]));
        }
        head = (head + 1) % high.length;
        count--;
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
        stamps = new long[capacity];
        index = new int[Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2];
        head = 0;
        count = 0;
        removed = 0;
    }

    /** A ring of this capacity with the remembered entries, oldest first, and their index. */
    private void rebuild(int capacity) {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldStamps = stamps;
        int oldHead = head;
        int oldCount = count;
        allocate(capacity);
        for (int i = 0; i < oldCount; i++) {
            int at = (oldHead + i) % oldHigh.length;
            if (oldStamps[at] != ABSENT) {
                add(oldHigh[at], oldLow[at], oldStamps[at]);
            }
        }
    }

    private long[] fingerprint(String id) {
        long[] uuid = canonicalUuid(id);
        return uuid != null ? uuid : keyedHash(id);
    }

    private long[] keyedHash(String id) {
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
    private static long[] canonicalUuid(String id) {
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
