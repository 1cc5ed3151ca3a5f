package chatd.server.core.command;

import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Channel;
import chatd.server.core.Lifecycle;
import chatd.server.core.Membership;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;

/** MODE: channel modes {@code o v i m n s t k l b} and the user-mode query. */
final class ModeCommands {

    /** MODE &lt;channel&gt; [&lt;modestring&gt; [&lt;args&gt;...]] | MODE &lt;nick&gt; */
    void mode(CommandContext ctx) {
        if (Names.isChannel(ctx.target())) {
            channelMode(ctx);
        } else {
            userMode(ctx);
        }
    }

    private void userMode(CommandContext ctx) {
        Session target = ctx.state().sessionByNick(ctx.target());
        if (target == null) {
            ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", ctx.target());
        } else if (target != ctx.session()) {
            ctx.reply(Numeric.ERR_USERSDONTMATCH, "Can't change mode for other users");
        } else if (ctx.message().param(0) != null && !ctx.message().param(0).matches("[+-]*")) {
            ctx.reply(Numeric.ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag");
        } else {
            ctx.reply(Numeric.RPL_UMODEIS, null, "+");
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
        apply(ctx, channel, modeString, params.subList(1, params.size()));
    }

    /** Applies each change in order; broadcasts the ones that took effect as one MODE. */
    private void apply(CommandContext ctx, Channel channel, String modeString, List<String> args) {
        StringBuilder applied = new StringBuilder();
        List<String> appliedArgs = new ArrayList<>();
        char appliedSign = 0;
        boolean adding = true;
        int next = 0;
        boolean channelChanged = false;
        for (char c : modeString.toCharArray()) {
            if (c == '+' || c == '-') {
                adding = c == '+';
                continue;
            }
            String arg = null;
            boolean needsArg = c == 'o' || c == 'v' || c == 'b' || (adding && (c == 'k' || c == 'l'));
            if (needsArg) {
                if (next >= args.size()) {
                    ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "MODE");
                    continue;
                }
                arg = args.get(next++);
            } else if (c == 'k' && next < args.size()) {
                next++; // "-k <key>": the key argument is accepted and ignored
            }
            boolean changed;
            switch (c) {
                case 'o', 'v' -> {
                    Membership target = channel.membership(arg);
                    if (target == null) {
                        ctx.reply(Numeric.ERR_USERNOTINCHANNEL, "They aren't on that channel", arg, channel.name());
                        continue;
                    }
                    changed = c == 'o' ? target.op() != adding : target.voice() != adding;
                    if (c == 'o') target.op(adding); else target.voice(adding);
                    arg = target.member().displayName();
                    if (changed && target.member() instanceof Session s) {
                        ctx.changes().persist(new Mutation.SaveMembership(channel.foldedName(), s.id(), target.modes()));
                    }
                }
                case 'i', 'm', 'n', 's', 't' -> changed = channel.flag(c, adding);
                case 'k' -> {
                    changed = adding ? !arg.equals(channel.key()) : channel.key() != null;
                    if (adding && channel.key() != null && changed) {
                        ctx.reply(Numeric.ERR_KEYSET, "Channel key already set", channel.name());
                        continue;
                    }
                    channel.key(adding ? arg : null);
                    if (!adding) arg = "*";
                }
                case 'l' -> {
                    if (adding) {
                        int limit;
                        try {
                            limit = Integer.parseInt(arg);
                        } catch (NumberFormatException e) {
                            continue;
                        }
                        if (limit <= 0) continue;
                        changed = channel.limit() != limit;
                        channel.limit(limit);
                    } else {
                        changed = channel.limit() != 0;
                        channel.limit(0);
                    }
                }
                case 'b' -> changed = adding ? channel.addBan(arg) : channel.removeBan(arg);
                default -> {
                    ctx.reply(Numeric.ERR_UNKNOWNMODE, "is unknown mode char to me", String.valueOf(c));
                    continue;
                }
            }
            if (!changed) {
                continue;
            }
            channelChanged |= c != 'o' && c != 'v';
            char sign = adding ? '+' : '-';
            if (sign != appliedSign) {
                applied.append(sign);
                appliedSign = sign;
            }
            applied.append(c);
            if (arg != null) {
                appliedArgs.add(arg);
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        if (channelChanged) {
            ctx.changes().persist(Lifecycle.saveChannel(channel));
        }
        List<String> out = new ArrayList<>();
        out.add(applied.toString());
        out.addAll(appliedArgs);
        ctx.changes().toChannel(channel, ctx.fromUser("MODE", channel.name(), out, null));
    }
}
