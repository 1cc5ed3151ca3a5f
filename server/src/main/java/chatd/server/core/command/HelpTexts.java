package chatd.server.core.command;

import java.util.Map;
import java.util.TreeMap;

/** One line of syntax per command, for HELP. */
final class HelpTexts {
    private HelpTexts() {}

    static final Map<String, String> TEXTS = new TreeMap<>(Map.ofEntries(
            Map.entry("AWAY", "AWAY [:<message>] - mark yourself away, or back without a message"),
            Map.entry("CHATHISTORY", "CHATHISTORY LATEST|BEFORE|AFTER|AROUND <target> <*|msgid=<id>|timestamp=<time>> <limit>"
                    + " | BETWEEN <target> <ref> <ref> <limit> | TARGETS <timestamp=> <timestamp=> <limit> - (IRC) history;"
                    + " over HTTP GET /api/v1/history"),
            Map.entry("HELP", "HELP [<command>] - this help"),
            Map.entry("INFO", "INFO - about this server"),
            Map.entry("INVITE", "INVITE [<nick> <#channel>] - invite someone into a channel; alone, list your invitations"),
            Map.entry("ISON", "ISON <nick>{ <nick>} - which of these nicks are online"),
            Map.entry("JOIN", "JOIN <#channel>{,<#channel>} [<key>{,<key>}] - join channels"),
            Map.entry("KICK", "KICK <#channel> <nick>{,<nick>} [:<reason>] - remove users from a channel"),
            Map.entry("KILL", "KILL <nick> [:<reason>] - (operators) end a user's session"),
            Map.entry("LINKS", "LINKS - the servers linked to this one"),
            Map.entry("LIST", "LIST [<#channel>{,<#channel>}] - channels and their topics"),
            Map.entry("LUSERS", "LUSERS - user and channel counts"),
            Map.entry("MODE", "MODE <#channel|nick> [<modes> [<args>]] - show or change modes"),
            Map.entry("MONITOR", "MONITOR +|- <nick>{,<nick>} | C | L | S - be told when nicks come online or go"),
            Map.entry("MOTD", "MOTD - the message of the day"),
            Map.entry("NAMES", "NAMES <#channel>{,<#channel>} - who is in a channel"),
            Map.entry("NICK", "NICK <nick> - change your nick"),
            Map.entry("NOTICE", "NOTICE <target>{,<target>} :<text> - a message never answered automatically"),
            Map.entry("OPER", "OPER <name> <password> - become a server operator"),
            Map.entry("PART", "PART <#channel>{,<#channel>} [:<reason>] - leave channels"),
            Map.entry("PING", "PING <token> - the server answers PONG"),
            Map.entry("PRIVMSG", "PRIVMSG <target>{,<target>} :<text> - a message to channels or users"),
            Map.entry("QUIT", "QUIT [:<reason>] - leave"),
            Map.entry("TAGMSG", "TAGMSG <target> - only message tags (typing notifications, reactions)"),
            Map.entry("TIME", "TIME - the server's clock"),
            Map.entry("TOPIC", "TOPIC <#channel> [:<topic>] - show or set a channel's topic"),
            Map.entry("USERHOST", "USERHOST <nick>{ <nick>} - user and host of up to 5 nicks"),
            Map.entry("VERSION", "VERSION - the server's version and features"),
            Map.entry("WALLOPS", "WALLOPS :<text> - (operators) to every user with mode +w"),
            Map.entry("WHO", "WHO <mask> [o|%<fields>[,<token>]] - users matching a channel, nick or mask"),
            Map.entry("WHOIS", "WHOIS <nick> - about a user"),
            Map.entry("WHOWAS", "WHOWAS <nick> [<count>] - about someone who used a nick before")));
}
