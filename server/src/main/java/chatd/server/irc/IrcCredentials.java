package chatd.server.irc;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * An account login from SASL PLAIN or PASS. The login name may carry a device, {@code alice/laptop}:
 * the same account and device on a later connection resumes that device's cursor (SPEC §10), so a
 * user with a laptop and a desktop gives each its own name. Without one the device is {@code irc}.
 */
record IrcCredentials(String account, String device, String password) {
    static final String DEFAULT_DEVICE = "irc";
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** {@code alice} or {@code alice/laptop}; null when the device part is not a plain word. */
    static IrcCredentials of(String login, String password) {
        int slash = login.indexOf('/');
        if (slash < 0) {
            return new IrcCredentials(login, DEFAULT_DEVICE, password);
        }
        String device = login.substring(slash + 1);
        return DEVICE.matcher(device).matches() ? new IrcCredentials(login.substring(0, slash), device, password) : null;
    }

    /** SASL PLAIN (RFC 4616): {@code authzid NUL authcid NUL password}; the authcid is the login. */
    static IrcCredentials fromSaslPlain(byte[] decoded) {
        String text = new String(decoded, StandardCharsets.UTF_8);
        String[] parts = text.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return null;
        }
        return of(parts[1], parts[2]);
    }

    /**
     * PASS as bouncers take it: {@code login:password} (login as above), or a bare password for the
     * login given as the USER name when it names a device ({@code USER alice/laptop ...}), else the NICK.
     */
    static IrcCredentials fromPass(String pass, String userName, String nick) {
        int colon = pass.indexOf(':');
        if (colon > 0) {
            IrcCredentials c = of(pass.substring(0, colon), pass.substring(colon + 1));
            if (c != null) {
                return c;
            }
        }
        String login = userName != null && userName.indexOf('/') > 0 ? userName : nick;
        return login == null ? null : of(login, pass);
    }

    /** The user name a USER line shows in WHO and WHOIS: without the device of {@code alice/laptop}. */
    static String userPart(String userName) {
        int slash = userName.indexOf('/');
        return slash > 0 ? userName.substring(0, slash) : userName;
    }
}
