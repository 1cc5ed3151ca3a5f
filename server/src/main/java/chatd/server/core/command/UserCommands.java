package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Channel;
import chatd.server.core.Lifecycle;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;

/** NICK, AWAY, QUIT, PING and user modes: the user's own state. */
final class UserCommands {
    /** User modes a user sets on themself: invisible, wallops, bot. {@code o} comes from OPER only. */
    static final String SELF_MODES = "iwB";
    /** Every user mode, as 004 lists them. */
    static final String USER_MODES = "Biow";

    /**
     * MODE &lt;nick&gt; [&lt;+|-modes&gt;] — 221 with the modes, or changes them: {@code +i} (hidden from WHO masks
     * of strangers), {@code +w} (receives WALLOPS), {@code +B} (a bot), {@code -o} (drop operator). The
     * change is echoed as MODE to the user's own clients; unknown letters get 501, the rest still apply.
     */
    static void userMode(CommandContext ctx) {
        Session target = ctx.state().sessionByNick(ctx.target());
        if (target == null) {
            ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", ctx.target());
            return;
        }
        if (target != ctx.session()) {
            ctx.reply(Numeric.ERR_USERSDONTMATCH, "Can't change mode for other users");
            return;
        }
        String change = ctx.message().param(0);
        if (change == null) {
            ctx.reply(Numeric.RPL_UMODEIS, null, target.modeString());
            return;
        }
        StringBuilder applied = new StringBuilder();
        boolean on = true;
        char lastSign = 0;
        boolean unknown = false;
        for (char c : change.toCharArray()) {
            if (c == '+' || c == '-') {
                on = c == '+';
                continue;
            }
            boolean allowed = SELF_MODES.indexOf(c) >= 0 || (c == 'o' && !on);
            if (!allowed) {
                unknown |= USER_MODES.indexOf(c) < 0;
                continue;
            }
            if (target.mode(c, on)) {
                char sign = on ? '+' : '-';
                if (sign != lastSign) {
                    applied.append(sign);
                    lastSign = sign;
                }
                applied.append(c);
            }
        }
        if (unknown) {
            ctx.reply(Numeric.ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag");
        }
        if (!applied.isEmpty()) {
            modeChanged(ctx, target, applied.toString());
        }
    }

    /** Tells the user's own clients (every device) that their modes changed. */
    static void modeChanged(CommandContext ctx, Session session, String applied) {
        ctx.changes().deliver(Envelope.of("MODE", session.nick(), session.nick(), List.of(applied), null), null,
                List.of(new Mutation.Recipient(session.id(), 0)));
    }

    /** NICK &lt;newnick&gt; — the new nick is the body's first line, or {@code to}. */
    void nick(CommandContext ctx) {
        Envelope msg = ctx.message();
        String wanted = msg.firstLine() != null ? msg.firstLine() : msg.to();
        if (wanted == null || wanted.isEmpty()) {
            ctx.reply(Numeric.ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        if (!Names.isValidNick(wanted)) {
            ctx.reply(Numeric.ERR_ERRONEUSNICKNAME, "Erroneous nickname", wanted);
            return;
        }
        Session session = ctx.session();
        String old = session.nick();
        if (wanted.equals(old)) {
            return;
        }
        boolean caseChangeOnly = Names.fold(wanted).equals(Names.fold(old));
        if (!caseChangeOnly && ctx.state().nickTaken(wanted) && !ownsAccount(ctx, wanted)) {
            ctx.reply(Numeric.ERR_NICKNAMEINUSE, "Nickname is already in use", wanted);
            return;
        }
        ctx.state().renameSession(session, wanted);
        for (Channel channel : session.channels()) {
            channel.rename(old, session);
        }
        ctx.changes().persist(Lifecycle.saveSession(session));
        Lifecycle.renamed(ctx.state(), ctx.changes(), session, old);
        Envelope change = Envelope.of("NICK", old, null, List.of(), List.of(wanted));
        Envelope stamped = Lifecycle.toNeighbours(ctx.changes(), session, change);
        ctx.state().relay().userEvent(session, stamped, ctx.changes());
    }

    private static boolean ownsAccount(CommandContext ctx, String nick) {
        var account = ctx.state().account(nick);
        return account != null && account.id() == (ctx.session().accountId() == null ? -1 : ctx.session().accountId())
                && ctx.state().sessionByNick(nick) == null;
    }

    /** AWAY [:&lt;message&gt;] — sets (306) or clears (305) the away message. */
    void away(CommandContext ctx) {
        String text = ctx.message().firstLine();
        if (text == null && ctx.target() != null && !ctx.target().isEmpty()) {
            text = ctx.target();
        }
        Session session = ctx.session();
        if (text == null || text.isBlank()) {
            session.away(null);
            ctx.reply(Numeric.RPL_UNAWAY, "You are no longer marked as being away");
        } else {
            session.away(text);
            ctx.reply(Numeric.RPL_NOWAWAY, "You have been marked as being away");
        }
        ctx.changes().persist(Lifecycle.saveSession(session));
        // Users sharing a channel learn of it (IRCv3 away-notify; the IRC gateway shows it only to clients
        // that asked), and those monitoring the nick (extended-monitor); its own clients have 305/306.
        Envelope event = Envelope.of("AWAY", session.nick(), null, List.of(),
                session.away() == null ? null : List.of(session.away()));
        Envelope stamped = tellNeighbours(ctx, session, event, false);
        ctx.state().relay().userEvent(session, stamped, ctx.changes());
    }

    /**
     * SETNAME :&lt;realname&gt; (IRCv3 setname) — changes the real name WHO and WHOIS show; the user's own
     * clients, channel neighbours and extended-monitor watchers are told.
     */
    void setname(CommandContext ctx) {
        String realName = ctx.message().firstLine() != null ? ctx.message().firstLine() : ctx.target();
        if (realName == null || realName.isBlank() || realName.length() > Session.REALNAME_MAX) {
            ctx.changes().toClient(ctx.client(), Envelope.of("FAIL", ctx.state().serverName(), null,
                    List.of("SETNAME", "INVALID_REALNAME"), List.of("Real name is empty or too long")));
            return;
        }
        Session session = ctx.session();
        session.identity(session.userName(), realName);
        tellNeighbours(ctx, session, Envelope.of("SETNAME", session.nick(), null, List.of(), List.of(realName)), true);
    }

    /** Delivers a user's change to its channel neighbours (and itself, if asked) and to its watchers. */
    private static Envelope tellNeighbours(CommandContext ctx, Session session, Envelope event, boolean includingSelf) {
        java.util.Set<Session> neighbours = Lifecycle.neighbours(session);
        List<Mutation.Recipient> recipients = new ArrayList<>();
        for (Session s : neighbours) {
            if (s != session || includingSelf) {
                recipients.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        Envelope stamped = ctx.changes().deliver(event, null, recipients);
        ctx.state().monitoring().toWatchers(ctx.changes(), session, neighbours, event);
        return stamped;
    }

    /**
     * An away user joining a channel: its members learn it is away (IRCv3 away-notify says so; the IRC
     * gateway shows it only to clients that asked).
     */
    static void announceAwayOnJoin(CommandContext ctx, Channel channel) {
        Session session = ctx.session();
        if (session.away() == null) {
            return;
        }
        List<Mutation.Recipient> others = new ArrayList<>();
        for (var m : channel.members()) {
            if (m.member() instanceof Session s && s != session) {
                others.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        ctx.changes().deliver(Envelope.of("AWAY", session.nick(), null, List.of(), List.of(session.away())), null, others);
    }

    /** QUIT [:&lt;reason&gt;] — ends this client; the session ends with its last client. */
    void quit(CommandContext ctx) {
        String reason = ctx.message().firstLine();
        Lifecycle.removeClient(ctx.state(), ctx.changes(), ctx.client(), reason == null ? "Quit" : "Quit: " + reason);
    }

    /** PING [:&lt;token&gt;] — answered with PONG into the caller's queue. */
    void ping(CommandContext ctx) {
        List<String> lines = ctx.message().bodyLines();
        if (lines.isEmpty() && ctx.target() != null) {
            lines = List.of(ctx.target());
        }
        ctx.changes().toClient(ctx.client(), Envelope.of("PONG", ctx.state().serverName(), ctx.nick(),
                List.of(ctx.state().serverName()), lines));
    }
}
