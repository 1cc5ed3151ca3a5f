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

/** NICK, AWAY, QUIT and PING: the user's own state. */
final class UserCommands {

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
        // that asked); the user's own clients already have 305/306.
        List<Mutation.Recipient> others = new ArrayList<>();
        for (Session s : Lifecycle.neighbours(session)) {
            if (s != session) {
                others.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        Envelope event = ctx.changes().deliver(Envelope.of("AWAY", session.nick(), null, List.of(),
                session.away() == null ? null : List.of(session.away())), null, others);
        ctx.state().relay().userEvent(session, event, ctx.changes());
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
