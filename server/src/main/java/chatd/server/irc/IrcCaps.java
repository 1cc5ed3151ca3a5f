package chatd.server.irc;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The IRCv3 capabilities the gateway offers (CAP LS) and what each changes. Everything a capability
 * does is in the gateway's rendering; the core knows nothing of them.
 */
enum IrcCaps {
    /** {@code @time=} on every line, from the envelope's {@code ts}: replayed lines keep their time. */
    SERVER_TIME("server-time"),
    /** {@code @msgid=} (the envelope id) and client tags accepted (TAGMSG is ignored). */
    MESSAGE_TAGS("message-tags"),
    /** The user's own PRIVMSG/NOTICE comes back to the connection that sent it. */
    ECHO_MESSAGE("echo-message"),
    /** NAMES and WHO show every prefix ({@code @+bob}), not only the highest. */
    MULTI_PREFIX("multi-prefix"),
    /** NAMES (353) lists {@code nick!user@host} instead of bare nicks. */
    USERHOST_IN_NAMES("userhost-in-names"),
    /** AWAY lines for users sharing a channel, when the core delivers them. */
    AWAY_NOTIFY("away-notify"),
    /** AWAY (with away-notify) and SETNAME (with setname) of MONITORed nicks too. */
    EXTENDED_MONITOR("extended-monitor"),
    /** SETNAME lines when the user or a neighbour changes real name. */
    SETNAME("setname"),
    /** {@code @account=} on every line from a user logged into an account (the account is the nick). */
    ACCOUNT_TAG("account-tag"),
    /** INVITE lines when someone else invites a user into a channel you are an operator of. */
    INVITE_NOTIFY("invite-notify"),
    /** BATCH lines (used to group a labeled command's replies). */
    BATCH("batch"),
    /** Replies to a command sent with a {@code label} tag carry it (one line, a BATCH, or an ACK). */
    LABELED_RESPONSE("labeled-response"),
    /** MARKREAD: read markers shared by the user's devices (after each JOIN, and when set). */
    READ_MARKER("draft/read-marker"),
    /** CHATHISTORY (the command works without it; the capability tells clients it is there). */
    CHATHISTORY("draft/chathistory"),
    /** SASL PLAIN during registration (account login, {@code alice/laptop} for a device). */
    SASL("sasl");

    private final String wireName;

    IrcCaps(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The CAP LS value: {@code sasl=PLAIN} for CAP 302 clients. */
    String advertised(boolean v302) {
        return this == SASL && v302 ? wireName + "=PLAIN" : wireName;
    }

    static IrcCaps byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (IrcCaps c : values()) {
            if (c.wireName.equals(n)) {
                return c;
            }
        }
        return null;
    }

    static Set<IrcCaps> none() {
        return EnumSet.noneOf(IrcCaps.class);
    }
}
