package chatd.server.store;

import chatd.server.core.Mutation;
import chatd.server.core.Snapshot;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recipient list stored with a message until it is settled ({@link Mutation.SettleQueues}): "12" is
 * session 12, "12:40" only its client 40, comma-separated. Settling and start-up both expand it against
 * a view of the queues: a recipient still has the message pending when its session's queue starts at or
 * before the message and, for one client's entry, that client still exists.
 */
final class Recipients {
    /** The lowest seq each known session may still have pending. */
    private final Map<Long, Long> pendingFrom;
    private final Set<Long> clients;

    Recipients(Map<Long, Long> pendingFrom, Set<Long> clients) {
        this.pendingFrom = pendingFrom;
        this.clients = clients;
    }

    /** The view of the stored clients (at start-up): a session has pending what is above its lowest cursor. */
    static Recipients stored(List<Snapshot.ClientRow> rows) {
        Map<Long, Long> pendingFrom = new HashMap<>();
        Set<Long> clients = new HashSet<>();
        for (Snapshot.ClientRow row : rows) {
            clients.add(row.id());
            pendingFrom.merge(row.sessionId(), row.ackedSeq() + 1, Math::min);
        }
        return new Recipients(pendingFrom, clients);
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
            Long from = pendingFrom.get(session);
            if (from != null && seq >= from && (client == 0 || clients.contains(client))) {
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
