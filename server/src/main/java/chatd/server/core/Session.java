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
    /** The longest real name kept (ISUPPORT NAMELEN); a longer one from USER is cut. */
    public static final int REALNAME_MAX = 200;

    private final long id;
    private final Long accountId;
    private final long createdMillis;
    private final Inbox inbox;
    private final Set<Channel> channels = new LinkedHashSet<>();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private String nick;
    private String away;
    private volatile long lastActiveMillis;
    /** The store's rows of this session's queue are discarded up to here for overflow ({@link Cursors}). */
    private long discardedUpTo;
    /** What the user's IRC client sent in USER (the nick until then); not stored: a restart forgets them. */
    private String userName;
    private String realName;
    /** User modes: {@code i} (invisible to WHO masks), {@code w} (wallops), {@code o} (server operator). */
    private final Set<Character> userModes = new java.util.TreeSet<>();
    /** Read markers (IRCv3 draft/read-marker): folded target → the newest read timestamp; in memory only. */
    private final java.util.Map<String, java.time.Instant> readMarkers = new java.util.HashMap<>();

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

    long discardedUpTo() {
        return discardedUpTo;
    }

    void discardedUpTo(long seq) {
        discardedUpTo = seq;
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

    public String userName() {
        return userName != null ? userName : nick;
    }

    public String realName() {
        return realName != null ? realName : nick;
    }

    /** The USER line of the user's latest IRC connection. */
    public void identity(String user, String real) {
        this.userName = user;
        this.realName = real == null || real.length() <= REALNAME_MAX ? real : real.substring(0, REALNAME_MAX);
    }

    /** The read marker of a target, or null. */
    public java.time.Instant readMarker(String foldedTarget) {
        return readMarkers.get(foldedTarget);
    }

    /** Moves a read marker forward (never back); answers the marker now stored. */
    public java.time.Instant markRead(String foldedTarget, java.time.Instant at) {
        return readMarkers.merge(foldedTarget, at, (old, now) -> now.isAfter(old) ? now : old);
    }

    public boolean hasMode(char mode) {
        return userModes.contains(mode);
    }

    /** Sets or clears a user mode; answers whether it changed. */
    public boolean mode(char mode, boolean on) {
        return on ? userModes.add(mode) : userModes.remove(mode);
    }

    /** {@code +iow} style, {@code +} when none. */
    public String modeString() {
        StringBuilder b = new StringBuilder("+");
        userModes.forEach(b::append);
        return b.toString();
    }

    public boolean isOperator() {
        return hasMode('o');
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
