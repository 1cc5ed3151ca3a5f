package chatd.server.core;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Client-chosen message ids already accepted, and what became of each (idempotent sends): a repeated id
 * is answered its first outcome, even after a restart ({@link #restore}). The ones still committing are
 * futures a retry joins; once committed an id moves to an {@link IdRing} (the last {@code max}), where it
 * costs about 40 bytes instead of a map entry, its strings and a future in the old generation (~150). One that failed
 * is forgotten: a retry runs again. Guarded by the core's lock.
 */
final class AcceptedIds {
    private static final long CREATED = 1;
    private static final long CREATED_NOTHING = 0;

    private final Map<String, CompletableFuture<String>> committing = new HashMap<>();
    /** The ids of {@link #committing} in the order accepted, which is the order their commits complete in. */
    private final ArrayDeque<String> inOrder = new ArrayDeque<>();
    private final IdRing committed;

    AcceptedIds(int max) {
        committed = new IdRing(max);
    }

    /** What a send with this id already became (or is becoming), or null for an id not seen. */
    CompletableFuture<String> outcomeOf(String id) {
        settle();
        CompletableFuture<String> outcome = committing.get(id);
        if (outcome != null) {
            return outcome;
        }
        long stamp = committed.stampOf(id);
        return stamp == IdRing.ABSENT ? null : CompletableFuture.completedFuture(stamp == CREATED ? id : null);
    }

    /** A send with this id was accepted; the future completes with the id it created (or null) once committed. */
    void accepted(String id, CompletableFuture<String> outcome) {
        settle();
        committing.put(id, outcome);
        inOrder.add(id);
    }

    /** The send failed for good: a retry with its id runs again. */
    void failed(String id, CompletableFuture<String> outcome) {
        committing.remove(id, outcome);
    }

    /** An id of a message in the store, read at start-up. */
    void restore(String id) {
        committed.add(id, CREATED);
    }

    /** Moves the sends whose commit completed, oldest first, from the futures to the ring. */
    private void settle() {
        while (!inOrder.isEmpty()) {
            String id = inOrder.peek();
            CompletableFuture<String> outcome = committing.get(id);
            if (outcome != null && !outcome.isDone()) {
                return;
            }
            inOrder.poll();
            if (outcome != null) {
                committing.remove(id);
                if (!outcome.isCompletedExceptionally()) {
                    committed.add(id, outcome.join() == null ? CREATED_NOTHING : CREATED);
                }
            }
        }
    }
}
