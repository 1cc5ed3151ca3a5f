package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Numeric;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChatState;
import chatd.server.core.Client;
import chatd.server.core.History;
import chatd.server.core.MaskList;
import chatd.server.core.Membership;
import chatd.server.core.Monitoring;
import chatd.server.core.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply sequences shared by several commands and by client creation: the welcome burst, LUSERS, MOTD,
 * NAMES and the channel-state burst of a client that joins an existing session.
 */
public final class ServerReplies {
    public static final String VERSION = "chatd-1.1.0";
    /** Long member lists are split so that each 353 stays within an IRC line. */
    private static final int NAMES_PER_LINE = 40;

    private final String motd;

    public ServerReplies(String motd) {
        this.motd = motd;
    }

    /** ISUPPORT tokens per 005 line: clients and irctest expect at most 13 (with the IRC gateway's own). */
    private static final int ISUPPORT_PER_LINE = 12;

    /** ISUPPORT (005) tokens: what this server really does. */
    public static List<String> isupport(String serverName) {
        return List.of("CASEMAPPING=ascii", "CHANTYPES=#", "PREFIX=(ov)@+", "CHANMODES=" + Channel.LIST_MODES + ",k,l,imnst",
                "EXCEPTS=e", "INVEX=I", "MAXLIST=b:" + MaskList.LIMIT + ",e:" + MaskList.LIMIT + ",I:" + MaskList.LIMIT,
                "NICKLEN=32", "CHANNELLEN=64", "TOPICLEN=390", "MODES=6", "AWAYLEN=390", "KICKLEN=390",
                "NETWORK=" + serverName, "STATUSMSG=@+", "UTF8ONLY", "WHOX", "BOT=B",
                "MONITOR=" + Monitoring.LIMIT, "NAMELEN=" + Session.REALNAME_MAX,
                "TARGMAX=PRIVMSG:" + MessageCommands.MAX_TARGETS + ",NOTICE:" + MessageCommands.MAX_TARGETS
                        + ",KICK:" + MessageCommands.MAX_TARGETS + ",JOIN:,PART:,NAMES:,LIST:,MONITOR:,WHOIS:1,TAGMSG:1,USERHOST:5",
                "ELIST=MNU", "CHATHISTORY=" + History.MAX_LIMIT, "MSGREFTYPES=timestamp,msgid");
    }

    /** The 005 lines: the tokens in lines of at most {@link #ISUPPORT_PER_LINE}. */
    public static void isupportLines(ChatState state, Changes changes, Client client) {
        List<String> tokens = isupport(state.serverName());
        for (int i = 0; i < tokens.size(); i += ISUPPORT_PER_LINE) {
            List<String> line = tokens.subList(i, Math.min(tokens.size(), i + ISUPPORT_PER_LINE));
            send(state, changes, client, Numeric.RPL_ISUPPORT, "are supported by this server", line.toArray(String[]::new));
        }
    }

    /** 001–005, LUSERS and MOTD for a new client. */
    public void welcome(ChatState state, Changes changes, Client client) {
        String nick = client.session().nick();
        String server = state.serverName();
        send(state, changes, client, Numeric.RPL_WELCOME, "Welcome to the chatd network, " + nick);
        send(state, changes, client, Numeric.RPL_YOURHOST, "Your host is " + server + ", running version " + VERSION);
        send(state, changes, client, Numeric.RPL_CREATED,
                "This server was created " + Instant.ofEpochMilli(state.startedMillis()));
        send(state, changes, client, Numeric.RPL_MYINFO, null, server, VERSION, UserCommands.USER_MODES, "Ibeiklmnostv");
        isupportLines(state, changes, client);
        lusers(state, changes, client);
        motd(state, changes, client);
    }

    /** 251–255, then 265/266 (local and global users, in their text-only form). */
    public void lusers(ChatState state, Changes changes, Client client) {
        int users = state.sessions().size();
        int remote = state.remoteUsers().size();
        int invisible = (int) state.sessions().stream().filter(s -> s.hasMode('i')).count();
        int operators = (int) state.sessions().stream().filter(Session::isOperator).count();
        send(state, changes, client, Numeric.RPL_LUSERCLIENT, "There are " + (users + remote - invisible) + " users and "
                + invisible + " invisible on " + (1 + serverCount(state)) + " servers");
        send(state, changes, client, Numeric.RPL_LUSEROP, "operator(s) online", Integer.toString(operators));
        send(state, changes, client, Numeric.RPL_LUSERCHANNELS, "channels formed", Integer.toString(state.channels().size()));
        send(state, changes, client, Numeric.RPL_LUSERME,
                "I have " + users + " clients and " + serverCount(state) + " servers");
        send(state, changes, client, Numeric.RPL_LOCALUSERS, "Current local users: " + users);
        send(state, changes, client, Numeric.RPL_GLOBALUSERS, "Current global users: " + (users + remote));
    }

    public void motd(ChatState state, Changes changes, Client client) {
        send(state, changes, client, Numeric.RPL_MOTDSTART, "- " + state.serverName() + " Message of the day - ");
        for (String line : motd.split("\n")) {
            send(state, changes, client, Numeric.RPL_MOTD, "- " + line);
        }
        send(state, changes, client, Numeric.RPL_ENDOFMOTD, "End of /MOTD command.");
    }

    /**
     * 353 (split over lines) and 366. Every prefix of a member is shown ({@code @+bob}, IRCv3 multi-prefix);
     * the IRC gateway trims them to the highest for clients without that capability. Secret channels are
     * "@", others "=".
     */
    public void names(ChatState state, Changes changes, Client client, Channel channel) {
        nameReplies(state, changes, client, channel);
        send(state, changes, client, Numeric.RPL_ENDOFNAMES, "End of /NAMES list.", channel.name());
    }

    /** The 353 lines of a channel, without the 366 that ends a NAMES reply. */
    public void nameReplies(ChatState state, Changes changes, Client client, Channel channel) {
        String kind = channel.secret() ? "@" : "=";
        List<String> batch = new ArrayList<>();
        for (Membership m : channel.members()) {
            batch.add(m.allPrefixes() + m.member().displayName());
            if (batch.size() == NAMES_PER_LINE) {
                send(state, changes, client, Numeric.RPL_NAMREPLY, String.join(" ", batch), kind, channel.name());
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            send(state, changes, client, Numeric.RPL_NAMREPLY, String.join(" ", batch), kind, channel.name());
        }
    }

    /** 332 + 333, or when there is no topic 331 if asked ({@code TOPIC #chan}), nothing on JOIN. */
    public void topic(ChatState state, Changes changes, Client client, Channel channel, boolean asked) {
        if (channel.topic().isEmpty()) {
            if (asked) {
                send(state, changes, client, Numeric.RPL_NOTOPIC, "No topic is set", channel.name());
            }
        } else {
            send(state, changes, client, Numeric.RPL_TOPIC, channel.topic(), channel.name());
            send(state, changes, client, Numeric.RPL_TOPICWHOTIME, null, channel.name(), channel.topicSetter(),
                    Long.toString(channel.topicMillis() / 1000));
        }
    }

    /** What a new client of an existing session needs to draw its channels: JOIN, topic, names. */
    public void channelState(ChatState state, Changes changes, Client client) {
        Session session = client.session();
        for (Channel channel : session.channels()) {
            changes.toClient(client, Envelope.of("JOIN", session.nick(), channel.name(), List.of(), null));
            topic(state, changes, client, channel, false);
            names(state, changes, client, channel);
        }
    }

    private static int serverCount(ChatState state) {
        return (int) state.remoteUsers().stream().map(u -> u.serverName()).distinct().count();
    }

    private static void send(ChatState state, Changes changes, Client client, Numeric numeric, String text, String... params) {
        changes.toClient(client, Envelope.of(numeric.code(), state.serverName(), client.session().nick(),
                List.of(params), text == null ? null : List.of(text)));
    }
}
