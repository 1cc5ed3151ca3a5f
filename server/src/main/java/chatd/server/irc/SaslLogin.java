package chatd.server.irc;

import chatd.protocol.Numeric;
import chatd.server.core.Account;
import java.util.Base64;

/**
 * SASL PLAIN before registration: AUTHENTICATE PLAIN, then the base64 payload in 400-byte chunks
 * ("+" = empty; "*" aborts). A success is remembered for registration. Reader thread only.
 */
final class SaslLogin {
    private static final int CHUNK = 400;
    private static final int MAX = 4096;

    private final IrcListener listener;
    private final IrcReplies replies;
    private final String address;
    private final String serverName;
    private StringBuilder buffer;
    private IrcCredentials login;
    private Account account;

    SaslLogin(IrcListener listener, IrcReplies replies, String address, String serverName) {
        this.listener = listener;
        this.replies = replies;
        this.address = address;
        this.serverName = serverName;
    }

    /** Is an exchange under way (registration waits for it)? */
    boolean inProgress() {
        return buffer != null;
    }

    /** The account logged in with SASL, or null. */
    Account account() {
        return account;
    }

    IrcCredentials login() {
        return login;
    }

    void authenticate(IrcLine line, boolean registered) {
        String arg = line.param(0);
        if (registered || account != null) {
            replies.numeric(Numeric.ERR_SASLALREADY, "You have already authenticated using SASL");
            return;
        }
        if (arg == null) {
            replies.numeric(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "AUTHENTICATE");
            return;
        }
        if (arg.equals("*")) {
            buffer = null;
            replies.numeric(Numeric.ERR_SASLABORTED, "SASL authentication aborted");
            return;
        }
        if (buffer == null) {
            if (!arg.equalsIgnoreCase("PLAIN")) {
                replies.numeric(Numeric.RPL_SASLMECHS, "are available SASL mechanisms", "PLAIN");
                replies.numeric(Numeric.ERR_SASLFAIL, "SASL authentication failed");
                return;
            }
            buffer = new StringBuilder();
            replies.send(IrcLine.of(null, "AUTHENTICATE", "+"));
            return;
        }
        if (!arg.equals("+")) {
            buffer.append(arg);
        }
        if (buffer.length() > MAX) {
            buffer = null;
            replies.numeric(Numeric.ERR_SASLTOOLONG, "SASL message too long");
            return;
        }
        if (arg.length() == CHUNK) {
            return; // more chunks follow
        }
        String payload = buffer.toString();
        buffer = null;
        verify(payload);
    }

    private void verify(String payload) {
        IrcCredentials credentials;
        try {
            credentials = IrcCredentials.fromSaslPlain(Base64.getDecoder().decode(payload));
        } catch (IllegalArgumentException e) {
            credentials = null;
        }
        long wait = listener.loginWait(address);
        if (wait > 0) {
            replies.numeric(Numeric.ERR_SASLFAIL, "SASL authentication failed: too many login attempts, retry in " + wait + " s");
            return;
        }
        Account verified = credentials == null ? null : listener.verify(credentials);
        if (verified == null) {
            replies.numeric(Numeric.ERR_SASLFAIL, "SASL authentication failed");
            return;
        }
        login = credentials;
        account = verified;
        String mask = verified.nick() + "!" + verified.nick() + "@" + serverName;
        replies.numeric(Numeric.RPL_LOGGEDIN, "You are now logged in as " + verified.nick(), mask, verified.nick());
        replies.numeric(Numeric.RPL_SASLSUCCESS, "SASL authentication successful");
    }
}
