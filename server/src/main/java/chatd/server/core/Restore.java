package chatd.server.core;

/** Start-up: the in-memory sessions, clients, channels, memberships and queues rebuilt from the store's snapshot. */
final class Restore {
    private Restore() {}

    /** Runs under the state lock, before serving. */
    static void into(ChatState state, Sessions sessions, Snapshot snap) {
        long[] k = snap.counters();
        state.restoreCounters(k[0], k[1], k[2], k[3]);
        snap.accounts().forEach(state::addAccount);
        for (Mutation.SaveSession row : snap.sessions()) {
            Session s = sessions.session(row.id(), row.nick(), row.accountId(), row.createdMillis());
            s.away(row.away());
            state.addSession(s);
        }
        for (Snapshot.ClientRow row : snap.clients()) {
            Session s = state.sessionById(row.sessionId());
            if (s != null) {
                state.addClient(new Client(row.id(), s, row.tokenHash(), row.floorSeq(), row.device(), row.ackedSeq(),
                        row.lastSeenMillis()));
            }
        }
        for (Mutation.SaveChannel row : snap.channels()) {
            Channel c = new Channel(row.name(), row.createdMillis());
            c.topic(row.topic(), row.topicSetter(), row.topicMillis());
            c.flags(row.flags());
            c.key(row.key());
            c.limit(row.limit());
            row.bans().forEach(c.maskList('b')::add);
            row.banExceptions().forEach(c.maskList('e')::add);
            row.inviteExceptions().forEach(c.maskList('I')::add);
            state.addChannel(c);
        }
        for (Snapshot.MembershipRow row : snap.memberships()) {
            Channel c = state.channel(row.channelFolded());
            Session s = state.sessionById(row.sessionId());
            if (c != null && s != null) {
                Membership m = c.add(s, row.modes().contains("o"));
                m.voice(row.modes().contains("v"));
                s.channels().add(c);
            }
        }
        for (Snapshot.InboxRow row : snap.inbox()) {
            Session s = state.sessionById(row.sessionId());
            if (s != null) {
                s.inbox().append(new Inbox.Entry(row.seq(), row.clientId(), row.json()));
            }
        }
    }
}
