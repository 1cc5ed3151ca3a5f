package chatd.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/** Validation and casefolding of nicks, channel and server names (SPEC §1, ASCII casemapping). */
public final class Names {
    private static final Pattern NICK = Pattern.compile("[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\-\\[\\]\\\\`_^{|}]{0,31}");
    private static final Pattern CHANNEL = Pattern.compile("#[A-Za-z0-9\\-_.]{1,63}");
    private static final Pattern SERVER = Pattern.compile("[a-z0-9\\-.]{1,63}");

    private Names() {}

    public static boolean isValidNick(String nick) {
        return nick != null && NICK.matcher(nick).matches();
    }

    public static boolean isValidChannel(String name) {
        return name != null && CHANNEL.matcher(name).matches();
    }

    public static boolean isChannel(String target) {
        return target != null && target.startsWith("#");
    }

    public static boolean isValidServer(String name) {
        return name != null && SERVER.matcher(name).matches();
    }

    /** ASCII casefolding: the key under which names are compared and stored. */
    public static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * IRC mask matching: {@code *} any run, {@code ?} one character, compared case-insensitively as
     * {@link #fold} does (WHO masks, MONITOR-style lookups).
     */
    public static boolean maskMatches(String mask, String text) {
        String m = fold(mask);
        String t = fold(text);
        int mi = 0;
        int ti = 0;
        int star = -1;
        int resume = 0;
        while (ti < t.length()) {
            if (mi < m.length() && (m.charAt(mi) == '?' || m.charAt(mi) == t.charAt(ti))) {
                mi++;
                ti++;
            } else if (mi < m.length() && m.charAt(mi) == '*') {
                star = mi++;
                resume = ti;
            } else if (star >= 0) {
                mi = star + 1;
                ti = ++resume;
            } else {
                return false;
            }
        }
        while (mi < m.length() && m.charAt(mi) == '*') {
            mi++;
        }
        return mi == m.length();
    }

    /** Splits {@code nick@server} into its two parts; a bare nick gives a null server. */
    public static UserAddress parseUser(String target) {
        int at = target.indexOf('@');
        return at < 0 ? new UserAddress(target, null) : new UserAddress(target.substring(0, at), target.substring(at + 1));
    }

    /** A user as addressed on the wire: a bare nick is local, {@code nick@server} is remote. */
    public record UserAddress(String nick, String server) {
        public boolean isRemote() {
            return server != null;
        }

        @Override
        public String toString() {
            return server == null ? nick : nick + "@" + server;
        }
    }
}
