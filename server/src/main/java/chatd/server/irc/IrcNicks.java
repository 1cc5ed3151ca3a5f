package chatd.server.irc;

import chatd.protocol.Names;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Remote users on IRC. The HTTP API writes a user of another server as {@code nick@server}, but an IRC
 * prefix is {@code nick!user@host}, so {@code @} cannot appear inside a nick. The gateway writes them as
 * {@code nick/server} instead: {@code /} never occurs in a chatd nick (SPEC §1) nor in a server name,
 * so the mapping is one-to-one and a local nick can never be mistaken for a remote one. irssi, WeeChat
 * and HexChat treat nicks as opaque words, so {@code /msg bob/beta hi} and queries just work. The
 * separator is announced in ISUPPORT as {@link #ISUPPORT_TOKEN}.
 */
public final class IrcNicks {
    public static final char SEPARATOR = '/';
    /** Vendor ISUPPORT token naming the separator (no standard token exists for this). */
    public static final String ISUPPORT_TOKEN = "REMOTENICKSEP=" + SEPARATOR;

    private static final String NICK = "[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\-\\[\\]\\\\`_^{|}]{0,31}";
    private static final String SERVER = "[a-z0-9\\-.]{1,63}";
    private static final Pattern IRC_REMOTE = Pattern.compile("(" + NICK + ")/(" + SERVER + ")");

    private IrcNicks() {}

    /**
     * {@code bob@beta} → {@code bob/beta} (prefixes such as {@code @+} kept); anything else unchanged. Runs
     * for every nick of every line delivered, so it is written out instead of a regular expression.
     */
    public static String toIrc(String word) {
        if (word == null) {
            return null;
        }
        int nick = 0;
        while (nick < word.length() && (word.charAt(nick) == '@' || word.charAt(nick) == '+')) {
            nick++;
        }
        int at = word.indexOf('@', nick);
        if (at < 0 || !isNick(word, nick, at) || !isServer(word, at + 1, word.length())) {
            return word;
        }
        return word.substring(0, at) + SEPARATOR + word.substring(at + 1);
    }

    /** {@code word[from, to)} is a nick as SPEC §1 has it: {@code [A-Za-z[]\`_^{|}][A-Za-z0-9-[]\`_^{|}]{0,31}}. */
    private static boolean isNick(String word, int from, int to) {
        if (to - from < 1 || to - from > 32 || !isNickStart(word.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = word.charAt(i);
            if (!isNickStart(c) && !(c >= '0' && c <= '9') && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNickStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || "[]\\`_^{|}".indexOf(c) >= 0;
    }

    /** {@code word[from, to)} is a server name: {@code [a-z0-9-.]{1,63}}. */
    private static boolean isServer(String word, int from, int to) {
        if (to - from < 1 || to - from > 63) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = word.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** {@code bob/beta} → {@code bob@beta}; anything else unchanged. Applies to comma lists too. */
    public static String toCore(String target) {
        if (target == null || target.indexOf(SEPARATOR) < 0) {
            return target;
        }
        StringBuilder out = new StringBuilder(target.length());
        for (String part : target.split(",", -1)) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            Matcher m = IRC_REMOTE.matcher(part);
            out.append(m.matches() ? m.group(1) + "@" + m.group(2) : part);
        }
        return out.toString();
    }

    /** Every space-separated word of a text that is a remote nick, translated (NAMES lists). */
    public static String wordsToIrc(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        String[] words = text.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            words[i] = toIrc(words[i]);
        }
        return String.join(" ", words);
    }

    /** The user part of a prefix: the bare nick of a local or remote user. */
    static String user(String coreName) {
        return Names.parseUser(coreName).nick();
    }

    /** The host part of a prefix: the user's server. */
    static String host(String coreName, String localServer) {
        Names.UserAddress a = Names.parseUser(coreName);
        return a.isRemote() ? a.server() : localServer;
    }
}
