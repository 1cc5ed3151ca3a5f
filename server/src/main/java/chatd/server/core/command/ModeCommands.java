package chatd.server.core.command;

import chatd.protocol.ModeChange;
import chatd.protocol.Modes;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Channel;
import chatd.server.core.ChannelRules;
import chatd.server.core.Membership;
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
        boolean query = params.isEmpty() || (params.getFirst().matches("[+]?b") && params.size() == 1);
        if (query && channel.secret() && me == null) {
            // a secret channel's modes and bans are its members' business
            ctx.reply(Numeric.ERR_NOTONCHANNEL, "You're not on that channel", channel.name());
            return;
        }
        if (params.isEmpty()) {
            List<String> modes = new ArrayList<>(List.of(channel.name()));
            modes.addAll(channel.modeString(me != null));
            ctx.reply(Numeric.RPL_CHANNELMODEIS, null, modes.toArray(String[]::new));
            ctx.reply(Numeric.RPL_CREATIONTIME, null, channel.name(), Long.toString(channel.createdMillis() / 1000));
            return;
        }
        if (query) {
            for (String ban : channel.bans()) {
                ctx.reply(Numeric.RPL_BANLIST, null, channel.name(), ban);
            }
            ctx.reply(Numeric.RPL_ENDOFBANLIST, "End of channel ban list", channel.name());
            return;
        }
        if (ChannelCommands.refused(ctx, ChannelRules.operator(channel, ctx.session()))) {
            return;
        }
        List<ChannelRules.Refusal> refusals = new ArrayList<>();
        List<ModeChange> applied = ChannelRules.applyModes(ctx.state(), ctx.changes(), channel, Modes.parse(params),
                change -> true, refusals);
        refusals.forEach(r -> ChannelCommands.refused(ctx, r));
        if (!applied.isEmpty()) {
            ctx.changes().toChannel(channel, ctx.fromUser("MODE", channel.name(), Modes.format(applied), null));
        }
    }
}
