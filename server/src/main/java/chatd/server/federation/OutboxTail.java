package chatd.server.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One peer's committed, not yet acknowledged outbox rows, kept in memory so that the sender reads the
 * store only when it must (after a restart, or after the tail overflowed while the peer was away). The
 * store stays the durable copy: rows are added here after their commit and deleted there only after the
 * peer acknowledged them.
 *
 * <p>Rows arrive in seq order (the journal runs after-commit actions in commit order, and seqs are taken
 * in that order), so the tail holds every committed row from {@code floor} on: the first seq it saw since
 * it started or was last cleared. Anything before the floor may exist only in the store.
 */
final class OutboxTail {
    /** Bounds memory for a peer that stays away; beyond it the sender reads the store again. */
    static final int MAX_ROWS = 20_000;

    private final int maxRows;
    private final NavigableMap<Long, String> rows = new TreeMap<>();
    private long floor = Long.MAX_VALUE;

    OutboxTail() {
        this(MAX_ROWS);
    }

    OutboxTail(int maxRows) {
        this.maxRows = maxRows;
    }

    /** A row just committed. */
    synchronized void add(long seq, String event) {
        if (rows.size() >= maxRows) {
            rows.clear();
            floor = Long.MAX_VALUE;
        }
        if (floor == Long.MAX_VALUE) {
            floor = seq;
        }
        rows.put(seq, event);
    }

    /** Up to {@code max} rows after {@code after} in seq order; null when some may be only in the store. */
    synchronized List<FederationStore.OutboxRow> after(long after, int max) {
        if (after + 1 < floor) {
            return null;
        }
        List<FederationStore.OutboxRow> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : rows.tailMap(after, false).entrySet()) {
            if (out.size() == max) {
                break;
            }
            out.add(new FederationStore.OutboxRow(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The peer acknowledged every row up to {@code seq}. */
    synchronized void ack(long seq) {
        rows.headMap(seq, true).clear();
    }
}
