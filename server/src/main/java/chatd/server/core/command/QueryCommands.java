package chatd.server.core.command;

import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Channel;
import chatd.server.core.Member;
import chatd.server.core.Membership;
import chatd.server.core.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** WHO, WHOIS, ISON, USERHOST, LUSERS, MOTD, VERSION and TIME: questions about users and the server. */
final class QueryCommands {

    /** WHO &lt;#channel|nick&gt; — 352 per user, then 315. */
    void who(CommandContext ctx) {
        String mask = ctx.target() == null || ctx.target().isEmpty() ? "*" : ctx.target();
        if (Names.isChannel(mask)) {
            Channel channel = ctx.state().channel(mask);
            if (channel != null && (!channel.secret() || channel.has(ctx.session()))) {
                for (Membership m : channel.members()) {
                    whoReply(ctx, channel.name(), m.member(), m.allPrefixes());
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
                channels.add(membership.allPrefixes() + c.name());
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

    /** ISON &lt;nick&gt;{ &lt;nick&gt;} — 303 with the nicks that are online, as the server writes them. */
    void ison(CommandContext ctx) {
        List<String> online = new ArrayList<>();
        for (String name : words(ctx)) {
            Member m = find(ctx, name);
            if (m != null) {
                online.add(m.displayName());
            }
        }
        ctx.reply(Numeric.RPL_ISON, String.join(" ", online));
    }

    /** USERHOST &lt;nick&gt;{ &lt;nick&gt;} — 302: {@code nick=+user@host} ({@code -} when away), at most 5. */
    void userhost(CommandContext ctx) {
        List<String> replies = new ArrayList<>();
        for (String name : words(ctx).stream().limit(5).toList()) {
            Member m = find(ctx, name);
            if (m != null) {
                String nick = m.displayName();
                replies.add(nick + "=" + (m.away() != null ? "-" : "+") + Names.parseUser(nick).nick() + "@"
                        + m.server(ctx.state()));
            }
        }
        ctx.reply(Numeric.RPL_USERHOST, String.join(" ", replies));
    }

    /** The target and params, split on spaces too: clients send ISON lists either way. */
    private static List<String> words(CommandContext ctx) {
        List<String> out = new ArrayList<>();
        List<String> all = new ArrayList<>();
        all.add(ctx.target());
        all.addAll(ctx.message().params());
        all.addAll(ctx.message().bodyLines());
        for (String part : all) {
            for (String w : part == null ? new String[0] : part.split(" ")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /** VERSION — 351 and the ISUPPORT tokens (005). */
    void version(CommandContext ctx) {
        String server = ctx.state().serverName();
        ctx.reply(Numeric.RPL_VERSION, "chatd, IRC semantics over HTTP", ServerReplies.VERSION + ".", server);
        List<String> tokens = ServerReplies.isupport(server);
        ctx.reply(Numeric.RPL_ISUPPORT, "are supported by this server", tokens.toArray(String[]::new));
    }

    /** TIME — 391 with the server's clock in RFC 3339. */
    void time(CommandContext ctx) {
        ctx.reply(Numeric.RPL_TIME, Instant.ofEpochMilli(ctx.changes().nowMillis()).toString(), ctx.state().serverName());
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
