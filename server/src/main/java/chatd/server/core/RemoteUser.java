package chatd.server.core;

/**
 * A user of a linked server, known here through federation. Always shown as {@code nick@server}, so it
 * never collides with a local nick. Mutated only under the state lock.
 */
public final class RemoteUser implements Member {
    private final String nick;
    private final String server;
    private String away;
    private String presence = "online";
    private boolean reachable = true;

    public RemoteUser(String nick, String server) {
        this.nick = nick;
        this.server = server;
    }

    public String nick() {
        return nick;
    }

    public String serverName() {
        return server;
    }

    @Override
    public String displayName() {
        return nick + "@" + server;
    }

    @Override
    public String server(ChatState state) {
        return server;
    }

    @Override
    public String presence(long nowMillis) {
        return reachable ? presence : "unreachable";
    }

    /** The presence last announced by the user's server, whatever the link state. */
    public String announcedPresence() {
        return presence;
    }

    /** False while the link towards the user's server is down: presence then reads {@code unreachable}. */
    public void reachable(boolean value) {
        this.reachable = value;
    }

    public void presence(String value) {
        this.presence = value;
    }

    @Override
    public String away() {
        return away;
    }

    public void away(String value) {
        this.away = value;
    }
}
