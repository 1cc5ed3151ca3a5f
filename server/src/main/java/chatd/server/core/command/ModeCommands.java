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

/** MODE: channel modes {@code o v i m n s t k l b e I}; user modes are {@link UserCommands#userMode}. */
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
        char list = params.size() == 1 ? listQuery(params.getFirst()) : 0;
        boolean query = params.isEmpty() || list != 0;
        if (query && channel.secret() && me == null) {
            // a secret channel's modes and lists are its members' business
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
            listReplies(ctx, channel, list);
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

    /** The list a one-parameter MODE asks for ({@code b}, {@code +e}, {@code I}…), or 0 when it is a change. */
    private static char listQuery(String param) {
        String letter = param.startsWith("+") ? param.substring(1) : param;
        return letter.length() == 1 && Channel.LIST_MODES.contains(letter) ? letter.charAt(0) : 0;
    }

    /** The numerics of a list query: each entry, and the end of the list with its text. */
    private record ListNumerics(Numeric entry, Numeric end, String endText) {
        static ListNumerics of(char list) {
            return switch (list) {
                case 'e' -> new ListNumerics(Numeric.RPL_EXCEPTLIST, Numeric.RPL_ENDOFEXCEPTLIST, "End of channel exception list");
                case 'I' -> new ListNumerics(Numeric.RPL_INVEXLIST, Numeric.RPL_ENDOFINVEXLIST, "End of channel invite list");
                default -> new ListNumerics(Numeric.RPL_BANLIST, Numeric.RPL_ENDOFBANLIST, "End of channel ban list");
            };
        }
    }

    /** 367/368 (bans), 348/349 (ban exceptions) or 346/347 (invite exceptions). */
    private static void listReplies(CommandContext ctx, Channel channel, char list) {
        ListNumerics numerics = ListNumerics.of(list);
        for (String mask : channel.maskList(list).masks()) {
            ctx.reply(numerics.entry(), null, channel.name(), mask);
        }
        ctx.reply(numerics.end(), numerics.endText(), channel.name());
    }
}
