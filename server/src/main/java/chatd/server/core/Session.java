package chatd.server.core;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One user: a nick, channel memberships, away state and the inbox that every client (device) of the
 * user reads. Fields other than the inbox are guarded by the state lock.
 */
public final class Session implements Member {
    private static final long IDLE_AFTER_MILLIS = 5 * 60 * 1000;

    private final long id;
    private final Long accountId;
    private final long createdMillis;
    private final Inbox inbox;
    private final Set<Channel> channels = new LinkedHashSet<>();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private String nick;
    private String away;
    private volatile long lastActiveMillis;

    public Session(long id, String nick, Long accountId, long createdMillis, int queueMax, PollTimer pollTimer) {
        this.id = id;
        this.nick = nick;
        this.accountId = accountId;
        this.createdMillis = createdMillis;
        this.lastActiveMillis = createdMillis;
        this.inbox = new Inbox(this, queueMax, pollTimer);
    }

    public long id() {
        return id;
    }

    public String nick() {
        return nick;
    }

    void nick(String value) {
        this.nick = value;
    }

    public Long accountId() {
        return accountId;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public Inbox inbox() {
        return inbox;
    }

    public Set<Channel> channels() {
        return channels;
    }

    public List<Client> clients() {
        return clients;
    }

    @Override
    public String away() {
        return away;
    }

    public void away(String value) {
        this.away = value;
    }

    public long lastActiveMillis() {
        return lastActiveMillis;
    }

    /** Marks user activity (a command, not a poll): drives idle presence and WHOIS idle time. */
    public void active(long nowMillis) {
        lastActiveMillis = nowMillis;
    }

    @Override
    public String displayName() {
        return nick;
    }

    @Override
    public String server(ChatState state) {
        return state.serverName();
    }

    @Override
    public String presence(long nowMillis) {
        if (clients.isEmpty()) {
            return "offline";
        }
        if (away != null) {
            return "away";
        }
        return nowMillis - lastActiveMillis > IDLE_AFTER_MILLIS ? "idle" : "online";
    }
}
