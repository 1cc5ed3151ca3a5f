package chatd.cli.model;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Readable text for IRC numerics (SPEC §2 mapping: {@code to} is the user, {@code params} the middle
 * parameters after it, {@code body} the trailing text), e.g. 332 → {@code Topic for #x: ...},
 * 401 → {@code No such nick: bob}. Numerics without a rule show their parameters and text, never the
 * bare code. Pure: no state, no I/O.
 */
public final class NumericText {
    /** Numerics that only close a list the user has already seen; they print nothing. */
    private static final Set<String> SILENT = Set.of(
            Numeric.RPL_ENDOFNAMES.code(), Numeric.RPL_ENDOFWHO.code(), Numeric.RPL_ENDOFWHOIS.code(),
            Numeric.RPL_ENDOFBANLIST.code(), Numeric.RPL_ENDOFEXCEPTLIST.code(), Numeric.RPL_ENDOFINVEXLIST.code(),
            Numeric.RPL_CREATIONTIME.code(), Numeric.RPL_ENDOFMOTD.code());

    /** Numerics of the connection itself (welcome, LUSERS, MOTD): shown in the server window. */
    private static final Set<String> SERVER_WINDOW = Set.of(
            Numeric.RPL_WELCOME.code(), Numeric.RPL_YOURHOST.code(), Numeric.RPL_CREATED.code(),
            Numeric.RPL_MYINFO.code(), Numeric.RPL_ISUPPORT.code(), Numeric.RPL_LUSERCLIENT.code(),
            Numeric.RPL_LUSEROP.code(), Numeric.RPL_LUSERUNKNOWN.code(), Numeric.RPL_LUSERCHANNELS.code(),
            Numeric.RPL_LUSERME.code(), Numeric.RPL_MOTDSTART.code(), Numeric.RPL_MOTD.code(),
            Numeric.RPL_ENDOFMOTD.code(), Numeric.ERR_NOMOTD.code());

    private static final Map<String, BiFunction<Envelope, TimeFormat, String>> RULES = rules();

    private NumericText() {}

    public static boolean isNumeric(String command) {
        return command != null && command.length() == 3 && command.chars().allMatch(Character::isDigit);
    }

    /** Whether this numeric belongs in the server window rather than the channel or current window. */
    public static boolean isServerReply(String code) {
        return SERVER_WINDOW.contains(code);
    }

    /** Errors (4xx, 5xx): the user should see them where they typed. */
    public static boolean isError(String code) {
        return code.charAt(0) == '4' || code.charAt(0) == '5';
    }

    /** The channel a numeric is about (the first {@code #…} parameter), or null. */
    public static String channelOf(Envelope e) {
        for (String param : e.params()) {
            if (Names.isChannel(param)) {
                return param;
            }
        }
        return null;
    }

    /** The text to show for numeric {@code e}, or null when it prints nothing. */
    public static String format(Envelope e, TimeFormat time) {
        if (SILENT.contains(e.command())) {
            return null;
        }
        BiFunction<Envelope, TimeFormat, String> rule = RULES.get(e.command());
        return rule != null ? rule.apply(e, time) : generic(e);
    }

    /** Parameters after the user's nick plus the trailing text, e.g. {@code #x: You're not on that channel}. */
    static String generic(Envelope e) {
        List<String> parts = new ArrayList<>(e.params());
        String text = text(e);
        if (parts.isEmpty()) {
            return text;
        }
        String head = String.join(" ", parts);
        return text.isEmpty() ? head : head + ": " + text;
    }

    private static String text(Envelope e) {
        return String.join(" ", e.bodyLines());
    }

    private static String p(Envelope e, int index) {
        String value = e.param(index);
        return value == null ? "?" : value;
    }

    private static String or(String text, String fallback) {
        return text == null || text.isEmpty() ? fallback : text;
    }

    private static Map<String, BiFunction<Envelope, TimeFormat, String>> rules() {
        Map<String, BiFunction<Envelope, TimeFormat, String>> r = new java.util.HashMap<>();
        // connection
        for (Numeric plain : List.of(Numeric.RPL_WELCOME, Numeric.RPL_YOURHOST, Numeric.RPL_CREATED,
                Numeric.RPL_LUSERCLIENT, Numeric.RPL_LUSERME, Numeric.RPL_MOTDSTART, Numeric.RPL_MOTD)) {
            r.put(plain.code(), (e, t) -> text(e));
        }
        r.put(Numeric.RPL_MYINFO.code(), (e, t) -> "Server " + String.join(" ", e.params()));
        r.put(Numeric.RPL_ISUPPORT.code(), (e, t) -> "Server supports: " + String.join(" ", e.params()));
        r.put(Numeric.RPL_LUSEROP.code(), (e, t) -> p(e, 0) + " " + or(text(e), "operator(s) online"));
        r.put(Numeric.RPL_LUSERUNKNOWN.code(), (e, t) -> p(e, 0) + " " + or(text(e), "unknown connection(s)"));
        r.put(Numeric.RPL_LUSERCHANNELS.code(), (e, t) -> p(e, 0) + " " + or(text(e), "channels formed"));
        r.put(Numeric.RPL_UMODEIS.code(), (e, t) -> "Your user mode is " + String.join(" ", e.params()));
        // away
        r.put(Numeric.RPL_AWAY.code(), (e, t) -> p(e, 0) + " is away: " + text(e));
        r.put(Numeric.RPL_UNAWAY.code(), (e, t) -> "You are no longer marked as being away");
        r.put(Numeric.RPL_NOWAWAY.code(), (e, t) -> "You have been marked as being away");
        // whois
        r.put(Numeric.RPL_WHOISUSER.code(), (e, t) -> p(e, 0) + " is " + p(e, 1) + "@" + p(e, 2)
                + (text(e).isEmpty() ? "" : " (" + text(e) + ")"));
        r.put(Numeric.RPL_WHOISSERVER.code(), (e, t) -> p(e, 0) + " is on server " + p(e, 1)
                + (text(e).isEmpty() ? "" : " (" + text(e) + ")"));
        r.put(Numeric.RPL_WHOISIDLE.code(), (e, t) -> p(e, 0) + " has been idle " + p(e, 1) + "s"
                + (e.param(2) == null ? "" : ", signed on " + t.formatEpoch(e.param(2))));
        r.put(Numeric.RPL_WHOISCHANNELS.code(), (e, t) -> p(e, 0) + " is on " + text(e));
        r.put(Numeric.RPL_WHOISSPECIAL.code(), (e, t) -> p(e, 0) + " " + text(e));
        // channels
        r.put(Numeric.RPL_LIST.code(), (e, t) -> p(e, 0) + " (" + p(e, 1) + " users)"
                + (text(e).isEmpty() ? "" : ": " + text(e)));
        r.put(Numeric.RPL_LISTEND.code(), (e, t) -> "End of channel list");
        r.put(Numeric.RPL_CHANNELMODEIS.code(), (e, t) -> "Mode of " + p(e, 0) + " is "
                + String.join(" ", e.params().subList(Math.min(1, e.params().size()), e.params().size())));
        r.put(Numeric.RPL_NOTOPIC.code(), (e, t) -> "No topic is set for " + p(e, 0));
        r.put(Numeric.RPL_TOPIC.code(), (e, t) -> "Topic for " + p(e, 0) + ": " + text(e));
        r.put(Numeric.RPL_TOPICWHOTIME.code(), (e, t) -> "Topic set by " + p(e, 1)
                + (e.param(2) == null ? "" : " at " + t.formatEpoch(e.param(2))));
        r.put(Numeric.RPL_INVITING.code(), (e, t) -> "Inviting " + p(e, 0) + " to " + p(e, 1));
        r.put(Numeric.RPL_INVITELIST.code(), (e, t) -> "You are invited to " + p(e, 0));
        r.put(Numeric.RPL_NAMREPLY.code(), (e, t) -> "Users on " + channelOr(e) + ": " + text(e));
        r.put(Numeric.RPL_WHOREPLY.code(), (e, t) -> generic(e));
        r.put(Numeric.RPL_BANLIST.code(), (e, t) -> "Ban on " + p(e, 0) + ": " + p(e, 1));
        r.put(Numeric.RPL_EXCEPTLIST.code(), (e, t) -> "Ban exception on " + p(e, 0) + ": " + p(e, 1));
        r.put(Numeric.RPL_INVEXLIST.code(), (e, t) -> "Invite exception on " + p(e, 0) + ": " + p(e, 1));
        // errors
        r.put(Numeric.ERR_NOSUCHNICK.code(), (e, t) -> "No such nick: " + p(e, 0));
        r.put(Numeric.ERR_NOSUCHCHANNEL.code(), (e, t) -> "No such channel: " + p(e, 0));
        r.put(Numeric.ERR_CANNOTSENDTOCHAN.code(), (e, t) -> "Cannot send to " + p(e, 0)
                + (text(e).isEmpty() ? "" : " (" + text(e) + ")"));
        r.put(Numeric.ERR_TOOMANYCHANNELS.code(), (e, t) -> "You have joined too many channels (" + p(e, 0) + ")");
        r.put(Numeric.ERR_NORECIPIENT.code(), (e, t) -> "No recipient given");
        r.put(Numeric.ERR_NOTEXTTOSEND.code(), (e, t) -> "No text to send");
        r.put(Numeric.ERR_UNKNOWNCOMMAND.code(), (e, t) -> "Unknown command: " + p(e, 0));
        r.put(Numeric.ERR_NOMOTD.code(), (e, t) -> "No message of the day");
        r.put(Numeric.ERR_NONICKNAMEGIVEN.code(), (e, t) -> "No nickname given");
        r.put(Numeric.ERR_ERRONEUSNICKNAME.code(), (e, t) -> "Erroneous nickname: " + p(e, 0));
        r.put(Numeric.ERR_NICKNAMEINUSE.code(), (e, t) -> "Nickname is already in use: " + p(e, 0));
        r.put(Numeric.ERR_USERNOTINCHANNEL.code(), (e, t) -> p(e, 0) + " is not on " + p(e, 1));
        r.put(Numeric.ERR_NOTONCHANNEL.code(), (e, t) -> "You're not on " + p(e, 0));
        r.put(Numeric.ERR_USERONCHANNEL.code(), (e, t) -> p(e, 0) + " is already on " + p(e, 1));
        r.put(Numeric.ERR_NEEDMOREPARAMS.code(), (e, t) -> "Not enough parameters for " + p(e, 0));
        r.put(Numeric.ERR_PASSWDMISMATCH.code(), (e, t) -> "Password incorrect");
        r.put(Numeric.ERR_CHANNELISFULL.code(), (e, t) -> "Cannot join " + p(e, 0) + " (channel is full)");
        r.put(Numeric.ERR_INVITEONLYCHAN.code(), (e, t) -> "Cannot join " + p(e, 0) + " (invite only)");
        r.put(Numeric.ERR_BANNEDFROMCHAN.code(), (e, t) -> "Cannot join " + p(e, 0) + " (you are banned)");
        r.put(Numeric.ERR_BADCHANNELKEY.code(), (e, t) -> "Cannot join " + p(e, 0) + " (wrong channel key)");
        r.put(Numeric.ERR_UNKNOWNMODE.code(), (e, t) -> "Unknown mode: " + p(e, 0));
        r.put(Numeric.ERR_CHANOPRIVSNEEDED.code(), (e, t) -> "You're not channel operator on " + p(e, 0));
        r.put(Numeric.ERR_UMODEUNKNOWNFLAG.code(), (e, t) -> "Unknown user mode flag");
        r.put(Numeric.ERR_USERSDONTMATCH.code(), (e, t) -> "Cannot change mode for other users");
        return Map.copyOf(r);
    }

    private static String channelOr(Envelope e) {
        String channel = channelOf(e);
        return channel == null ? p(e, 0) : channel;
    }
}
