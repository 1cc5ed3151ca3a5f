package chatd.server.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The janitor's bookkeeping of delivery: client cursors and last-seen times are persisted lazily, the
 * store discards acknowledged rows and those a full queue pushed out, and the messages stored before the
 * previous flush are settled (their recipients have had a flush interval to acknowledge them; see
 * {@link Mutation.SettleQueues}). The state lock is held only to read the cursors; the writes go aside,
 * outside it.
 */
final class Cursors {
    /** Messages settled per transaction. */
    private static final int SETTLE_SLICE = 250;

    private final ChatState state;
    private final Journal journal;
    /** The last seq stored before the previous flush: the next flush settles the queues up to it. */
    private long seqAtLastFlush;
    /**
     * Settled so far. Each settle reads only the slice above it (on PostgreSQL, reading every unsettled
     * row from the start walks the dead index entries of all earlier slices). After a start it begins
     * at the first list left, so a list left behind (committed later than a flush interval) is settled then.
     */
    private long settledUpTo;

    Cursors(ChatState state, Journal journal) {
        this.state = state;
        this.journal = journal;
    }

    /** After a restore: settling resumes where lists are left, not at seq 0 (a slice per 250 seqs of the whole store). */
    synchronized void resumeSettling(Snapshot snap) {
        settledUpTo = snap.firstUnsettledSeq() > 0 ? snap.firstUnsettledSeq() - 1 : state.currentSeq();
    }

    synchronized void flush() {
        List<Mutation> touches = new ArrayList<>();
        List<Client> dirty = new ArrayList<>();
        List<Long> marks = new ArrayList<>();
        List<Session> overflowed = new ArrayList<>();
        List<Long> overflowDiscards = new ArrayList<>();
        long settleTarget;
        Map<Long, Long> pendingFrom = new HashMap<>();
        Set<Long> clients = new HashSet<>();
        state.lock().lock();
        try {
            settleTarget = seqAtLastFlush;
            seqAtLastFlush = state.currentSeq();
            // The queues' view is only needed when there is something to settle (not on an idle server).
            boolean settling = settleTarget > settledUpTo;
            for (Session s : state.sessions()) {
                long min = Long.MAX_VALUE;
                boolean changed = false;
                for (Client c : s.clients()) {
                    min = Math.min(min, c.ackedSeq());
                    changed |= c.ackedSeq() != c.persistedAckedSeq();
                    if (settling) {
                        clients.add(c.id());
                    }
                }
                if (min == Long.MAX_VALUE) {
                    continue;
                }
                long queuedFrom = s.inbox().start();
                if (settling) {
                    pendingFrom.put(s.id(), Math.max(min + 1, queuedFrom));
                }
                // What the queue pushed out (QUEUE_MAX) is gone for every client: its rows go with what was read,
                // or a client that never reads (a sleeping phone, a bot that only sends) keeps rows forever.
                long discard = Math.max(min, queuedFrom - 1);
                if (discard > Math.max(min, s.discardedUpTo())) {
                    changed = true;
                    overflowed.add(s);
                    overflowDiscards.add(discard);
                }
                if (!changed) {
                    continue;
                }
                for (Client c : s.clients()) {
                    touches.add(new Mutation.TouchClient(c.id(), s.id(), c.ackedSeq(), c.lastSeenMillis(), discard));
                    dirty.add(c);
                    marks.add(c.ackedSeq());
                }
            }
        } finally {
            state.lock().unlock();
        }
        if (!touches.isEmpty()) {
            journal.writeAside(touches);
            for (int i = 0; i < dirty.size(); i++) {
                dirty.get(i).markPersisted(marks.get(i));
            }
            for (int i = 0; i < overflowed.size(); i++) {
                overflowed.get(i).discardedUpTo(overflowDiscards.get(i));
            }
        }
        // In slices, each its own transaction: members that read nothing (a sleeping phone, a bot) give
        // every message a row here, and one large write would hold up the journal's commits behind it.
        while (settledUpTo < settleTarget) {
            long upTo = Math.min(settledUpTo + SETTLE_SLICE, settleTarget);
            journal.writeAside(List.of(new Mutation.SettleQueues(settledUpTo, upTo, pendingFrom, clients)));
            settledUpTo = upTo;
        }
    }
}
