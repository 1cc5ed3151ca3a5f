package chatd.server.core;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A durable change, recorded by the core and applied by the store in one transaction with the rest of
 * its batch. Names are casefolded where the field says {@code folded}.
 */
public sealed interface Mutation {
    record SaveAccount(long id, String nick, String passwordHash, long createdMillis) implements Mutation {}

    record SaveSession(long id, String nick, Long accountId, String away, long createdMillis) implements Mutation {}

    record DeleteSession(long id) implements Mutation {}

    record SaveClient(long id, long sessionId, String tokenHash, long floorSeq, String device, long lastSeenMillis)
            implements Mutation {}

    /** Deletes the client and the entries queued for it alone. */
    record DeleteClient(long id) implements Mutation {}

    /** Lazy bookkeeping: cursor and last-seen time; also discards the session's acknowledged entries. */
    record TouchClient(long id, long sessionId, long ackedSeq, long lastSeenMillis, long discardUpTo) implements Mutation {}

    record SaveChannel(String folded, String name, String topic, String topicSetter, long topicMillis, String flags,
            String key, int limit, List<String> bans, List<String> banExceptions, List<String> inviteExceptions,
            long createdMillis) implements Mutation {}

    record DeleteChannel(String folded) implements Mutation {}

    record SaveMembership(String channelFolded, long sessionId, String modes) implements Mutation {}

    record DeleteMembership(String channelFolded, long sessionId) implements Mutation {}

    /**
     * One envelope stored once, queued for its recipients. {@code historyKey} is the folded channel name or
     * a DM key ({@code dm:a,b}), or null when it has no history (numerics).
     */
    record StoreMessage(long seq, String id, String historyKey, String command, long tsMillis, byte[] json,
            List<Recipient> recipients) implements Mutation {}

    /**
     * Settles the messages stored after {@code afterSeq} up to {@code upToSeq}: their recipients that have
     * not acknowledged them yet get a queue entry of their own in the store. Until then a message's
     * recipients are kept with it in one row, since almost all of them acknowledge it within seconds.
     * The core's view of its queues decides: {@code pendingFrom} maps each session to the lowest seq it
     * may still have pending (above every client's cursor, and not yet pushed out of its queue by
     * QUEUE_MAX), {@code clients} are the clients that exist. A busy bot that never reads thus gets no
     * entry for what its queue has already pushed out.
     */
    record SettleQueues(long afterSeq, long upToSeq, Map<Long, Long> pendingFrom, Set<Long> clients) implements Mutation {}

    /** A hashcash stamp that has been spent; the store refuses it a second time. */
    record SpendStamp(String stamp, long atMillis) implements Mutation {}

    /** Extension point for adapters (federation) that keep their own tables in the same transaction. */
    non-sealed interface Custom extends Mutation {}

    /** Who gets a queued entry: a session, or a single client of it when {@code clientId} is not 0. */
    record Recipient(long sessionId, long clientId) {}
}
