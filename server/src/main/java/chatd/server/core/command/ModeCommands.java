package chatd.server.core.command;

import chatd.protocol.ModeChange;
import chatd.protocol.Modes;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Channel;
import chatd.server.core.Lifecycle;
import chatd.server.core.Membership;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;

/** MODE: channel modes {@code o v i m n s t k l b}; user modes are {@link UserCommands#userMode}. */
final class ModeCommands {

    /** MODE &lt;channel&gt; [&lt;modestring&gt; [&lt;args&gt;...]] | MODE &lt;nick&gt; */
    void mode(CommandContext ctx) {
        if (Names.isChannel(ctx.target())) {
            channelMode(ctx);
        } else {
            UserCommands.userMode(ctx);
        }
    }

    private void channelMode(CommandContext ctx) {
        Channel channel = ctx.state().channel(ctx.target());
        if (channel == null) {
            ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", ctx.target());
            return;
        }
        List<String> params = ctx.message().params();
        Membership me = channel.membership(ctx.session());
        if (params.isEmpty()) {
            List<String> modes = new ArrayList<>(List.of(channel.name()));
            modes.addAll(channel.modeString(me != null));
            ctx.reply(Numeric.RPL_CHANNELMODEIS, null, modes.toArray(String[]::new));
            ctx.reply(Numeric.RPL_CREATIONTIME, null, channel.name(), Long.toString(channel.createdMillis() / 1000));
            return;
        }
        String modeString = params.getFirst();
        if (modeString.matches("[+]?b") && params.size() == 1) {
            for (String ban : channel.bans()) {
                ctx.reply(Numeric.RPL_BANLIST, null, channel.name(), ban);
            }
            ctx.reply(Numeric.RPL_ENDOFBANLIST, "End of channel ban list", channel.name());
            return;
        }
        if (me == null || !me.op()) {
            ctx.reply(Numeric.ERR_CHANOPRIVSNEEDED, "You're not channel operator", channel.name());
            return;
        }
        apply(ctx, channel, params);
    }

    /** Applies each change in order; broadcasts the ones that took effect as one MODE. */
    private void apply(CommandContext ctx, Channel channel, List<String> params) {
        List<ModeChange> applied = new ArrayList<>();
        boolean channelChanged = false;
        for (ModeChange change : Modes.parse(params)) {
            if (change.missingArgument()) {
                ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "MODE");
                continue;
            }
            ModeChange done = applyOne(ctx, channel, change);
            if (done != null) {
                applied.add(done);
                channelChanged |= !done.isPrefixMode();
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        if (channelChanged) {
            ctx.changes().persist(Lifecycle.saveChannel(channel));
        }
        ctx.changes().toChannel(channel, ctx.fromUser("MODE", channel.name(), Modes.format(applied), null));
    }

    /** One change: answers it as it is to be shown (or null when it changed nothing or was refused). */
    private ModeChange applyOne(CommandContext ctx, Channel channel, ModeChange change) {
        boolean adding = change.adding();
        String arg = change.arg();
        switch (change.mode()) {
            case 'o', 'v' -> {
                Membership target = channel.membership(arg);
                if (target == null) {
                    ctx.reply(Numeric.ERR_USERNOTINCHANNEL, "They aren't on that channel", arg, channel.name());
                    return null;
                }
                boolean op = change.mode() == 'o';
                if ((op ? target.op() : target.voice()) == adding) {
                    return null;
                }
                if (op) target.op(adding); else target.voice(adding);
                if (target.member() instanceof Session s) {
                    ctx.changes().persist(new Mutation.SaveMembership(channel.foldedName(), s.id(), target.modes()));
                }
                return change.withArg(target.member().displayName());
            }
            case 'i', 'm', 'n', 's', 't' -> {
                return channel.flag(change.mode(), adding) ? change : null;
            }
            case 'k' -> {
                if (adding && channel.key() != null && !arg.equals(channel.key())) {
                    ctx.reply(Numeric.ERR_KEYSET, "Channel key already set", channel.name());
                    return null;
                }
                boolean changed = adding ? !arg.equals(channel.key()) : channel.key() != null;
                channel.key(adding ? arg : null);
                return changed ? change.withArg(adding ? arg : "*") : null;
            }
            case 'l' -> {
                int limit = adding ? positive(arg) : 0;
                if (limit < 0 || channel.limit() == limit) {
                    return null;
                }
                channel.limit(limit);
                return change;
            }
            case 'b' -> {
                return (adding ? channel.addBan(arg) : channel.removeBan(arg)) ? change : null;
            }
            default -> {
                ctx.reply(Numeric.ERR_UNKNOWNMODE, "is unknown mode char to me", String.valueOf(change.mode()));
                return null;
            }
        }
    }

    /** A limit argument: a positive number, else -1 (ignored, as IRC servers do). */
    private static int positive(String arg) {
        try {
            int n = Integer.parseInt(arg);
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
