package chatd.server.core;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How clients and sessions end (SPEC §3): a client goes on logout, QUIT or idle expiry; when the last
 * client of a session goes, the session ends: QUIT to its channels, memberships dropped, empty channels
 * gone, the nick released (an account's nick stays reserved by the account).
 */
public final class Lifecycle {
    private Lifecycle() {}

    public static void removeClient(ChatState state, Changes changes, Client client, String reason) {
        Session session = client.session();
        state.removeClient(client);
        changes.persist(new Mutation.DeleteClient(client.id()));
        session.inbox().wakeAll();
        if (session.clients().isEmpty()) {
            endSession(state, changes, session, reason);
        }
    }

    public static void endSession(ChatState state, Changes changes, Session session, String reason) {
        Envelope quit = Envelope.of("QUIT", session.nick(), null, List.of(), List.of(reason == null ? "Quit" : reason));
        Set<Session> others = neighbours(session);
        others.remove(session);
        List<Mutation.Recipient> recipients = new ArrayList<>();
        others.forEach(s -> recipients.add(new Mutation.Recipient(s.id(), 0)));
        Envelope stamped = changes.deliver(quit, null, recipients);
        state.relay().userEvent(session, stamped, changes);
        for (Channel channel : List.copyOf(session.channels())) {
            leave(state, changes, channel, session);
        }
        state.removeSession(session);
        changes.persist(new Mutation.DeleteSession(session.id()));
        state.monitoring().ended(session);
        state.monitoring().offline(state, changes, session.nick());
    }

    /** A session changed nick: watchers of the old one see it go, watchers of the new one see it come. */
    public static void renamed(ChatState state, Changes changes, Session session, String oldNick) {
        if (!Names.fold(oldNick).equals(Names.fold(session.nick()))) {
            state.monitoring().offline(state, changes, oldNick);
            state.monitoring().online(state, changes, session);
        }
    }

    /** Removes a local member from a channel, dropping the channel when it is left empty. */
    public static void leave(ChatState state, Changes changes, Channel channel, Session session) {
        channel.remove(session);
        session.channels().remove(channel);
        changes.persist(new Mutation.DeleteMembership(channel.foldedName(), session.id()));
        dropIfEmpty(state, changes, channel);
    }

    public static void dropIfEmpty(ChatState state, Changes changes, Channel channel) {
        if (channel.isEmpty()) {
            state.removeChannel(channel);
            changes.persist(new Mutation.DeleteChannel(channel.foldedName()));
        }
    }

    /** The session itself and every local session sharing a channel with it. */
    public static Set<Session> neighbours(Session session) {
        Set<Session> out = new LinkedHashSet<>();
        out.add(session);
        for (Channel channel : session.channels()) {
            for (Membership m : channel.members()) {
                if (m.member() instanceof Session s) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Delivers to the session and everyone sharing a channel with it, once each. */
    public static Envelope toNeighbours(Changes changes, Session session, Envelope envelope) {
        List<Mutation.Recipient> recipients = new ArrayList<>();
        neighbours(session).forEach(s -> recipients.add(new Mutation.Recipient(s.id(), 0)));
        return changes.deliver(envelope, null, recipients);
    }

    public static Mutation saveChannel(Channel c) {
        return new Mutation.SaveChannel(c.foldedName(), c.name(), c.topic(), c.topicSetter(), c.topicMillis(), c.flags(),
                c.key(), c.limit(), List.copyOf(c.maskList('b').masks()), List.copyOf(c.maskList('e').masks()),
                List.copyOf(c.maskList('I').masks()), c.createdMillis());
    }

    public static Mutation saveSession(Session s) {
        return new Mutation.SaveSession(s.id(), s.nick(), s.accountId(), s.away(), s.createdMillis());
    }
}
