package chatd.server.core;

import java.util.List;

/**
 * Everything the store holds that the core needs in memory, read once at start-up.
 * {@code firstUnsettledSeq} is the lowest message still carrying its recipient list, 0 if none.
 */
public record Snapshot(
        long[] counters,
        List<Account> accounts,
        List<Mutation.SaveSession> sessions,
        List<ClientRow> clients,
        List<Mutation.SaveChannel> channels,
        List<MembershipRow> memberships,
        List<InboxRow> inbox,
        long firstUnsettledSeq,
        List<String> recentMessageIds,
        List<String> recentStamps) {

    public record ClientRow(long id, long sessionId, String tokenHash, long floorSeq, long ackedSeq, String device,
            long lastSeenMillis) {}

    public record MembershipRow(String channelFolded, long sessionId, String modes) {}

    /** A pending inbox entry, ordered by seq; the json is shared by every row of one message. */
    public record InboxRow(long sessionId, long seq, long clientId, byte[] json) {}
}
