package chatd.server.store;

import chatd.server.core.Mutation;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recipient list stored with a message until it is settled ({@link Mutation.SettleQueues}): "12" is
 * session 12, "12:40" only its client 40, comma-separated. Settling and start-up both expand it against
 * the stored client cursors: a recipient still has the message pending when its session's floor (the
 * lowest cursor of its clients) is below the message, and its queue in memory, if known, still holds it.
 */
final class Recipients {
    /** Session floors and live client ids, as stored. */
    private final Map<Long, Long> floors = new HashMap<>();
    private final Set<Long> clients = new HashSet<>();
    /** The oldest seq each session's queue holds in memory (see {@link Mutation.SettleQueues}). */
    private final Map<Long, Long> queueStarts;

    Recipients(Map<Long, Long> queueStarts) {
        this.queueStarts = queueStarts;
    }

    /** Learns one stored client. */
    void client(long clientId, long sessionId, long ackedSeq) {
        clients.add(clientId);
        floors.merge(sessionId, ackedSeq, Math::min);
    }

    boolean isEmpty() {
        return floors.isEmpty();
    }

    @FunctionalInterface
    interface Pending {
        void accept(long sessionId, long clientId) throws SQLException;
    }

    /** Calls {@code pending} for each recipient in {@code list} that has not acknowledged message {@code seq}. */
    void forEachPending(String list, long seq, Pending pending) throws SQLException {
        for (int at = 0; at < list.length(); ) {
            int end = list.indexOf(',', at);
            end = end < 0 ? list.length() : end;
            int colon = list.indexOf(':', at);
            boolean single = colon >= 0 && colon < end;
            long session = Long.parseLong(list, at, single ? colon : end, 10);
            long client = single ? Long.parseLong(list, colon + 1, end, 10) : 0;
            Long floor = floors.get(session);
            if (floor != null && seq > floor && seq >= queueStarts.getOrDefault(session, 0L)
                    && (client == 0 || clients.contains(client))) {
                pending.accept(session, client);
            }
            at = end + 1;
        }
    }

    static String encode(List<Mutation.Recipient> recipients) {
        StringBuilder out = new StringBuilder(recipients.size() * 8);
        for (Mutation.Recipient r : recipients) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(r.sessionId());
            if (r.clientId() != 0) {
                out.append(':').append(r.clientId());
            }
        }
        return out.toString();
    }
}
