package chatd.server.core;

import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.ChatCore.Attached;
import chatd.server.core.ChatCore.Issued;
import chatd.server.core.command.ServerReplies;
import java.util.List;

/**
 * Identity (SPEC §3): sessions and their clients come and go here: anonymous sessions, accounts,
 * logins, devices that reconnect, logouts and idle expiry. Every method that takes {@link Changes} runs
 * under the state lock, inside the facade's transaction; {@link #authenticate} is lock-free.
 */
final class Sessions {
    private final ChatState state;
    private final Limits limits;
    private final StampPolicy stamps;
    private final ServerReplies replies;
    private final PollTimer pollTimer;

    Sessions(ChatState state, Limits limits, StampPolicy stamps, ServerReplies replies, PollTimer pollTimer) {
        this.state = state;
        this.limits = limits;
        this.stamps = stamps;
        this.replies = replies;
        this.pollTimer = pollTimer;
    }

    Issued createAnonymous(Changes changes, String nick, String stamp, String device) {
        requireFreeNick(nick);
        stamps.admit(stamp, changes);
        Session session = newSession(changes, nick, null);
        return newClient(changes, session, device, false);
    }

    Issued register(Changes changes, String nick, String passwordHash, String stamp) {
        requireFreeNick(nick);
        stamps.admit(stamp, changes);
        Account account = new Account(state.nextAccountId(), nick, passwordHash);
        state.addAccount(account);
        changes.persist(new Mutation.SaveAccount(account.id(), nick, passwordHash, changes.nowMillis()));
        Session session = newSession(changes, nick, account.id());
        return newClient(changes, session, "default", false);
    }

    Issued login(Changes changes, Account account, String device) {
        Session session = state.sessionByAccount(account.id());
        boolean resumed = session != null;
        if (!resumed) {
            if (state.sessionByNick(account.nick()) != null) {
                throw new ChatError(ChatError.Kind.NICK_IN_USE, "nick is in use", Numeric.ERR_NICKNAMEINUSE);
            }
            session = newSession(changes, account.nick(), account.id());
        }
        return newClient(changes, session, device, resumed);
    }

    void logout(Changes changes, Client client, String reason) {
        if (state.clientByToken(client.tokenHash()) != null) {
            Lifecycle.removeClient(state, changes, client, reason);
        }
    }

    /** See {@link Attached}. */
    Attached attachDevice(Changes changes, Account account, String device) {
        Session session = state.sessionByAccount(account.id());
        if (session == null) {
            return attachedNew(login(changes, account, device));
        }
        for (Client existing : session.clients()) {
            if (existing.device().equals(device)) {
                long resumeAfter = existing.ackedSeq();
                long burstAfter = state.currentSeq();
                existing.touch(changes.nowMillis());
                replies.welcome(state, changes, existing);
                replies.channelState(state, changes, existing);
                return new Attached(existing, resumeAfter, burstAfter);
            }
        }
        return attachedNew(newClient(changes, session, device, true));
    }

    private static Attached attachedNew(Issued issued) {
        return new Attached(issued.client(), issued.client().ackedSeq(), issued.client().ackedSeq());
    }

    /** The client a bearer token belongs to, or null. Lock-free: every request does this. */
    Client authenticate(String token) {
        Client client = token == null ? null : state.clientByToken(Tokens.hash(token));
        if (client != null) {
            client.touch(state.nowMillis());
        }
        return client;
    }

    /** Whether a client authenticated earlier still holds its token (not logged out or expired). */
    boolean stillAuthenticated(Client client) {
        if (client.removed()) {
            return false;
        }
        client.touch(state.nowMillis());
        return true;
    }

    /** Ends every client of anonymous sessions with this device name. */
    void endAnonymousClients(Changes changes, String device, String reason) {
        for (Session s : List.copyOf(state.sessions())) {
            if (s.accountId() != null) {
                continue;
            }
            for (Client c : List.copyOf(s.clients())) {
                if (c.device().equals(device)) {
                    Lifecycle.removeClient(state, changes, c, reason);
                }
            }
        }
    }

    /** Ends clients not seen since {@code cutoffMillis} (SPEC §3). */
    void expireIdleClients(Changes changes, long cutoffMillis) {
        for (Session s : List.copyOf(state.sessions())) {
            for (Client c : List.copyOf(s.clients())) {
                if (c.idleSince(cutoffMillis)) {
                    Lifecycle.removeClient(state, changes, c, "Idle timeout");
                }
            }
        }
    }

    /** A session as this server keeps it in memory: its queue bounded by {@code QUEUE_MAX}, its polls timed by the one timer. */
    Session session(long id, String nick, Long accountId, long createdMillis) {
        return new Session(id, nick, accountId, createdMillis, limits.queueMax(), pollTimer);
    }

    private Session newSession(Changes changes, String nick, Long accountId) {
        Session session = session(state.nextSessionId(), nick, accountId, changes.nowMillis());
        state.addSession(session);
        changes.persist(Lifecycle.saveSession(session));
        state.monitoring().online(state, changes, session);
        return session;
    }

    private Issued newClient(Changes changes, Session session, String device, boolean sendChannelState) {
        String token = Tokens.newToken();
        Client client = new Client(state.nextClientId(), session, Tokens.hash(token), state.currentSeq(), device, 0,
                changes.nowMillis());
        state.addClient(client);
        changes.persist(new Mutation.SaveClient(client.id(), session.id(), client.tokenHash(), client.floorSeq(), device,
                changes.nowMillis()));
        replies.welcome(state, changes, client);
        if (sendChannelState) {
            replies.channelState(state, changes, client);
        }
        return new Issued(session, client, token);
    }

    static void requireValidNick(String nick) {
        if (!Names.isValidNick(nick)) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST,
                    "invalid nick: 1-32 letters, digits, - and []\\`_^{|}, not starting with a digit or -",
                    Numeric.ERR_ERRONEUSNICKNAME);
        }
    }

    private void requireFreeNick(String nick) {
        if (state.nickTaken(nick)) {
            throw new ChatError(ChatError.Kind.NICK_IN_USE, "nick is in use", Numeric.ERR_NICKNAMEINUSE);
        }
    }
}
