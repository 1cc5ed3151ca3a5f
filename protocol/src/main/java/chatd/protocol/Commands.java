package chatd.protocol;

/** The command verbs of the protocol (SPEC §5), as they appear in {@link Envelope#command()}. */
public final class Commands {
    public static final String PRIVMSG = "PRIVMSG";
    public static final String NOTICE = "NOTICE";
    public static final String JOIN = "JOIN";
    public static final String PART = "PART";
    public static final String NICK = "NICK";
    public static final String TOPIC = "TOPIC";
    public static final String QUIT = "QUIT";
    public static final String PING = "PING";
    public static final String PONG = "PONG";
    public static final String MODE = "MODE";
    public static final String KICK = "KICK";
    public static final String INVITE = "INVITE";
    public static final String NAMES = "NAMES";
    public static final String LIST = "LIST";
    public static final String WHO = "WHO";
    public static final String WHOIS = "WHOIS";
    public static final String LUSERS = "LUSERS";
    public static final String MOTD = "MOTD";
    public static final String AWAY = "AWAY";
    public static final String PUBKEY = "PUBKEY";
    public static final String TAGMSG = "TAGMSG";

    private Commands() {}
}
