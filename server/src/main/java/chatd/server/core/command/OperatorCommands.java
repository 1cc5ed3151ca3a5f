package chatd.server.core.command;

import chatd.protocol.Numeric;
import chatd.server.core.Client;
import chatd.server.core.Lifecycle;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;

/** OPER, KILL and WALLOPS: server operators, with the credentials of {@link Operators}. */
final class OperatorCommands {
    private final Operators operators;

    OperatorCommands(Operators operators) {
        this.operators = operators;
    }

    /** OPER &lt;name&gt; &lt;password&gt; — user mode {@code +o} and 381, or 464 for wrong credentials. */
    void oper(CommandContext ctx) {
        String password = ctx.message().param(0) != null ? ctx.message().param(0) : ctx.message().firstLine();
        if (password == null) {
            ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "OPER");
            return;
        }
        if (!operators.admits(ctx.target(), password)) {
            ctx.reply(Numeric.ERR_PASSWDMISMATCH, "Password incorrect");
            return;
        }
        Session session = ctx.session();
        if (session.mode('o', true)) {
            UserCommands.modeChanged(ctx, session, "+o");
        }
        ctx.reply(Numeric.RPL_YOUREOPER, "You are now an IRC operator");
    }

    /** KILL &lt;nick&gt; [:&lt;reason&gt;] — operators only: ends a local user's session, every device of it. */
    void kill(CommandContext ctx) {
        if (!requireOperator(ctx)) {
            return;
        }
        Session target = ctx.state().sessionByNick(ctx.target());
        if (target == null) {
            ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", ctx.target());
            return;
        }
        String given = ctx.message().param(0) != null ? ctx.message().param(0) : ctx.message().firstLine();
        String reason = "Killed (" + ctx.nick() + " (" + (given == null ? "no reason" : given) + "))";
        for (Client client : List.copyOf(target.clients())) {
            Lifecycle.removeClient(ctx.state(), ctx.changes(), client, reason);
        }
    }

    /** WALLOPS :&lt;text&gt; — operators only: to every user with {@code +w}. */
    void wallops(CommandContext ctx) {
        if (!requireOperator(ctx)) {
            return;
        }
        String text = ctx.message().firstLine() != null ? ctx.message().firstLine() : ctx.target();
        if (text == null || text.isEmpty()) {
            ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "WALLOPS");
            return;
        }
        List<Mutation.Recipient> recipients = new ArrayList<>();
        for (Session s : ctx.state().sessions()) {
            if (s.hasMode('w') || s == ctx.session()) {
                recipients.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        ctx.changes().deliver(ctx.fromUser("WALLOPS", null, List.of(), List.of(text)), null, recipients);
    }

    private static boolean requireOperator(CommandContext ctx) {
        if (ctx.session().isOperator()) {
            return true;
        }
        ctx.reply(Numeric.ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
        return false;
    }
}
