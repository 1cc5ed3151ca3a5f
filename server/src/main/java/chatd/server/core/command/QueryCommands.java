package chatd.server.core.command;

import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Channel;
import chatd.server.core.ChatState;
import chatd.server.core.Member;
import chatd.server.core.Membership;
import chatd.server.core.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** WHO, WHOIS, ISON, USERHOST, LUSERS, MOTD, VERSION and TIME: questions about users and the server. */
final class QueryCommands {

    /** WHOX fields in the order they are written (IRCv3 whox): token, channel, user, ip, host, ... */
    private static final String WHOX_ORDER = "tcuihsnfdlaor";

    /**
     * WHO &lt;mask&gt; [o | %fields[,token]] — 352 per user (354 with WHOX fields), then 315 with the mask as
     * given. A channel lists its members; a nick is looked up exactly; any other mask ({@code *},
     * {@code coolni*}) matches nick, user name, host and real name of the users one may see: users with
     * {@code +i} only when sharing a channel. {@code o} keeps only server operators.
     */
    void who(CommandContext ctx) {
        String mask = ctx.target() == null || ctx.target().isEmpty() ? "*" : ctx.target();
        String options = ctx.message().param(0) == null ? "" : ctx.message().param(0);
        Whox whox = Whox.parse(options);
        boolean operatorsOnly = !options.startsWith("%") && options.contains("o");
        List<WhoLine> lines = new ArrayList<>();
        if (Names.isChannel(mask)) {
            Channel channel = ctx.state().channel(mask);
            boolean member = channel != null && channel.has(ctx.session());
            if (channel != null && (!channel.secret() || member)) {
                for (Membership m : channel.members()) {
                    if (member || !invisible(m.member())) {
                        lines.add(new WhoLine(channel.name(), m.member(), m.allPrefixes()));
                    }
                }
            }
        } else if (mask.indexOf('*') < 0 && mask.indexOf('?') < 0) {
            Member member = find(ctx, mask);
            if (member != null) {
                lines.add(new WhoLine("*", member, ""));
            }
        } else {
            for (Member m : everyone(ctx)) {
                if (matches(ctx, mask, m) && (!invisible(m) || sharesChannel(ctx.session(), m))) {
                    lines.add(new WhoLine("*", m, ""));
                }
            }
        }
        for (WhoLine line : lines) {
            if (!operatorsOnly || isOperator(line.member())) {
                if (whox == null) {
                    whoReply(ctx, line);
                } else {
                    whoxReply(ctx, line, whox);
                }
            }
        }
        ctx.reply(Numeric.RPL_ENDOFWHO, "End of WHO list", mask);
    }

    private record WhoLine(String channel, Member member, String prefix) {}

    /** The fields a WHOX query asked for ({@code %cnuf,42}): letters and the token echoed back. */
    private record Whox(String fields, String token) {
        static Whox parse(String options) {
            if (!options.startsWith("%")) {
                return null;
            }
            int comma = options.indexOf(',');
            String fields = comma < 0 ? options.substring(1) : options.substring(1, comma);
            String token = comma < 0 ? "0" : options.substring(comma + 1);
            return new Whox(fields, token.isEmpty() ? "0" : token);
        }
    }

    private void whoReply(CommandContext ctx, WhoLine line) {
        Member m = line.member();
        String server = m.server(ctx.state());
        ctx.reply(Numeric.RPL_WHOREPLY, "0 " + realName(m), line.channel(), userName(m), server, server, m.displayName(),
                flags(m, line.prefix()));
    }

    private void whoxReply(CommandContext ctx, WhoLine line, Whox whox) {
        Member m = line.member();
        String server = m.server(ctx.state());
        List<String> values = new ArrayList<>();
        String realName = null;
        for (char field : WHOX_ORDER.toCharArray()) {
            if (whox.fields().indexOf(field) < 0) {
                continue;
            }
            switch (field) {
                case 't' -> values.add(whox.token());
                case 'c' -> values.add(line.channel());
                case 'u' -> values.add(userName(m));
                case 'i' -> values.add("255.255.255.255");
                case 'h', 's' -> values.add(server);
                case 'n' -> values.add(m.displayName());
                case 'f' -> values.add(flags(m, line.prefix()));
                case 'd' -> values.add("0");
                case 'l' -> values.add(m instanceof Session s
                        ? Long.toString((ctx.changes().nowMillis() - s.lastActiveMillis()) / 1000) : "0");
                case 'a' -> values.add(account(ctx, m));
                case 'o' -> values.add("n/a");
                case 'r' -> realName = realName(m);
                default -> { }
            }
        }
        ctx.reply(Numeric.RPL_WHOSPCRPL, realName, values.toArray(String[]::new));
    }

    /** {@code H} here or {@code G} gone (away), {@code *} a server operator, {@code B} a bot, then channel prefixes. */
    private static String flags(Member m, String prefix) {
        boolean bot = m instanceof Session s && s.hasMode('B');
        return (m.away() != null ? "G" : "H") + (isOperator(m) ? "*" : "") + (bot ? "B" : "") + prefix;
    }

    private static boolean isOperator(Member m) {
        return m instanceof Session s && s.isOperator();
    }

    private static boolean invisible(Member m) {
        return m instanceof Session s && s.hasMode('i');
    }

    static String userName(Member m) {
        return m instanceof Session s ? s.userName() : Names.parseUser(m.displayName()).nick();
    }

    static String realName(Member m) {
        return m instanceof Session s ? s.realName() : m.displayName();
    }

    /** The account name of a logged-in user, {@code 0} for none (WHOX). */
    private static String account(CommandContext ctx, Member m) {
        return m instanceof Session s && s.accountId() != null ? s.nick() : "0";
    }

    private static List<Member> everyone(CommandContext ctx) {
        List<Member> all = new ArrayList<>(ctx.state().sessions());
        all.addAll(ctx.state().remoteUsers());
        return all;
    }

    private static boolean matches(CommandContext ctx, String mask, Member m) {
        return Names.maskMatches(mask, m.displayName()) || Names.maskMatches(mask, userName(m))
                || Names.maskMatches(mask, m.server(ctx.state())) || Names.maskMatches(mask, realName(m));
    }

    private static boolean sharesChannel(Session me, Member other) {
        if (other == me) {
            return true;
        }
        for (Channel c : me.channels()) {
            if (c.has(other)) {
                return true;
            }
        }
        return false;
    }

    /** WHOIS [&lt;server&gt;] &lt;nick&gt; — 311, 312, 319, 301, 313, 330, 317, 320 (presence), 318; 401 when unknown. */
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
        ctx.reply(Numeric.RPL_WHOISUSER, realName(m), nick, userName(m), server, "*");
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
        if (isOperator(m)) {
            ctx.reply(Numeric.RPL_WHOISOPERATOR, "is an IRC operator", nick);
        }
        long now = ctx.changes().nowMillis();
        if (m instanceof Session s) {
            if (s.accountId() != null) {
                ctx.reply(Numeric.RPL_WHOISACCOUNT, "is logged in as", nick, s.nick());
            }
            if (s.hasMode('B')) {
                ctx.reply(Numeric.RPL_WHOISBOT, "is a bot", nick);
            }
            ctx.reply(Numeric.RPL_WHOISIDLE, "seconds idle, signon time", nick,
                    Long.toString((now - s.lastActiveMillis()) / 1000), Long.toString(s.createdMillis() / 1000));
        }
        ctx.reply(Numeric.RPL_WHOISSPECIAL, "is " + m.presence(now), nick);
        ctx.reply(Numeric.RPL_ENDOFWHOIS, "End of /WHOIS list.", nick);
    }

    /** WHOWAS &lt;nick&gt; [&lt;count&gt;] — 314 for each remembered use of the nick, newest first, then 369; 406 when none. */
    void whowas(CommandContext ctx) {
        String nick = ctx.target();
        List<ChatState.GoneUser> gone = ctx.state().whowas(nick);
        int count = parseCount(ctx.message().param(0), gone.size());
        if (gone.isEmpty()) {
            ctx.reply(Numeric.ERR_WASNOSUCHNICK, "There was no such nickname", nick);
        }
        for (ChatState.GoneUser g : gone.subList(0, Math.min(count, gone.size()))) {
            ctx.reply(Numeric.RPL_WHOWASUSER, g.realName(), g.nick(), g.userName(), ctx.state().serverName(), "*");
            ctx.reply(Numeric.RPL_WHOISSERVER, Instant.ofEpochMilli(g.goneMillis()).toString(), g.nick(),
                    ctx.state().serverName());
        }
        ctx.reply(Numeric.RPL_ENDOFWHOWAS, "End of WHOWAS", nick);
    }

    /** A positive count, else all. */
    private static int parseCount(String value, int all) {
        try {
            int n = value == null ? all : Integer.parseInt(value);
            return n > 0 ? n : all;
        } catch (NumberFormatException e) {
            return all;
        }
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
        ServerReplies.isupportLines(ctx.state(), ctx.changes(), ctx.client());
    }

    /** INFO [&lt;server|nick&gt;] — 371 lines about the server, then 374; 402 for a target elsewhere. */
    void info(CommandContext ctx) {
        String target = ctx.target();
        String server = ctx.state().serverName();
        if (target != null && !target.isEmpty() && !Names.maskMatches(target, server)
                && ctx.state().sessionByNick(target) == null) {
            ctx.reply(Numeric.ERR_NOSUCHSERVER, "No such server", target);
            return;
        }
        ctx.reply(Numeric.RPL_INFO, server + " runs chatd " + ServerReplies.VERSION + ": IRC semantics over HTTP+JSON,");
        ctx.reply(Numeric.RPL_INFO, "with federation between servers and this IRC gateway.");
        ctx.reply(Numeric.RPL_INFO, "Up since " + Instant.ofEpochMilli(ctx.state().startedMillis()) + ".");
        ctx.reply(Numeric.RPL_ENDOFINFO, "End of /INFO list");
    }

    /**
     * LINKS — 364 for each server this one is linked to (by federation) that has users here, then 365.
     * The local server itself is not listed: it has no description to show.
     */
    void links(CommandContext ctx) {
        ctx.state().remoteUsers().stream().map(u -> u.serverName()).distinct().sorted().forEach(peer ->
                ctx.reply(Numeric.RPL_LINKS, "1 chatd federation peer", "*", peer));
        ctx.reply(Numeric.RPL_ENDOFLINKS, "End of /LINKS list", "*");
    }

    /** HELP [&lt;command&gt;] (also HELPOP) — 704, 705 lines, 706; 524 for a command without help. */
    void help(CommandContext ctx) {
        String subject = ctx.target() == null || ctx.target().isEmpty() ? "index" : ctx.target().toUpperCase(java.util.Locale.ROOT);
        List<String> text = subject.equals("index")
                ? List.of("Commands: " + String.join(" ", HelpTexts.TEXTS.keySet()), "HELP <command> for one of them.")
                : HelpTexts.TEXTS.containsKey(subject) ? List.of(HelpTexts.TEXTS.get(subject)) : null;
        if (text == null) {
            ctx.reply(Numeric.ERR_HELPNOTFOUND, "No help available on this topic", subject);
            return;
        }
        ctx.reply(Numeric.RPL_HELPSTART, text.getFirst(), subject);
        for (String line : text.subList(1, text.size())) {
            ctx.reply(Numeric.RPL_HELPTXT, line, subject);
        }
        ctx.reply(Numeric.RPL_ENDOFHELP, "End of /HELP", subject);
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
