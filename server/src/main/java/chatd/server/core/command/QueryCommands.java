package chatd.server.core.command;

import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Channel;
import chatd.server.core.Member;
import chatd.server.core.Membership;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;

/** WHO, WHOIS, LUSERS and MOTD: questions about users and the server. */
final class QueryCommands {

    /** WHO &lt;#channel|nick&gt; — 352 per user, then 315. */
    void who(CommandContext ctx) {
        String mask = ctx.target() == null || ctx.target().isEmpty() ? "*" : ctx.target();
        if (Names.isChannel(mask)) {
            Channel channel = ctx.state().channel(mask);
            if (channel != null && (!channel.secret() || channel.has(ctx.session()))) {
                for (Membership m : channel.members()) {
                    whoReply(ctx, channel.name(), m.member(), m.prefix());
                }
            }
        } else {
            Member member = find(ctx, mask);
            if (member != null) {
                whoReply(ctx, "*", member, "");
            }
        }
        ctx.reply(Numeric.RPL_ENDOFWHO, "End of WHO list", mask);
    }

    private void whoReply(CommandContext ctx, String channel, Member m, String prefix) {
        String server = m.server(ctx.state());
        String nick = m.displayName();
        String flags = (m.away() != null ? "G" : "H") + prefix;
        ctx.reply(Numeric.RPL_WHOREPLY, "0 " + nick, channel, Names.parseUser(nick).nick(), server, server, nick, flags);
    }

    /** WHOIS &lt;nick&gt; — 311, 312, 319, 301, 317, 320 (presence), 318; 401 when unknown. */
    void whois(CommandContext ctx) {
        String name = ctx.target();
        Member m = find(ctx, name);
        if (m == null) {
            ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", name);
            ctx.reply(Numeric.RPL_ENDOFWHOIS, "End of /WHOIS list.", name);
            return;
        }
        String nick = m.displayName();
        String server = m.server(ctx.state());
        ctx.reply(Numeric.RPL_WHOISUSER, nick, nick, Names.parseUser(nick).nick(), server, "*");
        ctx.reply(Numeric.RPL_WHOISSERVER, server.equals(ctx.state().serverName()) ? "this server" : "linked server",
                nick, server);
        List<String> channels = new ArrayList<>();
        for (Channel c : ctx.state().channels()) {
            Membership membership = c.membership(m);
            if (membership != null && (!c.secret() || c.has(ctx.session()))) {
                channels.add(membership.prefix() + c.name());
            }
        }
        if (!channels.isEmpty()) {
            ctx.reply(Numeric.RPL_WHOISCHANNELS, String.join(" ", channels), nick);
        }
        if (m.away() != null) {
            ctx.reply(Numeric.RPL_AWAY, m.away(), nick);
        }
        long now = ctx.changes().nowMillis();
        if (m instanceof Session s) {
            ctx.reply(Numeric.RPL_WHOISIDLE, "seconds idle, signon time", nick,
                    Long.toString((now - s.lastActiveMillis()) / 1000), Long.toString(s.createdMillis() / 1000));
        }
        ctx.reply(Numeric.RPL_WHOISSPECIAL, "is " + m.presence(now), nick);
        ctx.reply(Numeric.RPL_ENDOFWHOIS, "End of /WHOIS list.", nick);
    }

    /** A local nick, or {@code nick@server} of a known remote user. */
    private static Member find(CommandContext ctx, String name) {
        Names.UserAddress address = Names.parseUser(name);
        if (!address.isRemote() || address.server().equals(ctx.state().serverName())) {
            return ctx.state().sessionByNick(address.nick());
        }
        return ctx.state().remoteUser(address.nick(), address.server());
    }

    /** LUSERS — 251–255. */
    void lusers(CommandContext ctx) {
        ctx.replies().lusers(ctx.state(), ctx.changes(), ctx.client());
    }

    /** MOTD — 375, 372..., 376. */
    void motd(CommandContext ctx) {
        ctx.replies().motd(ctx.state(), ctx.changes(), ctx.client());
    }
}
