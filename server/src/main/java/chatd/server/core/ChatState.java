package chatd.server.core;

import chatd.protocol.Names;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every session, client, channel and account of this server, and the counters that name them. All
 * maps except the token index are guarded by {@link #lock()} (tier 2); the token index is concurrent so
 * that authenticating a request never waits for a command.
 */
public final class ChatState {
    private final ReentrantLock lock = new ReentrantLock();
    private final String serverName;
    private final InstantSource clock;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Session> sessionsByNick = new HashMap<>();
    private final Map<Long, Session> sessionsByAccount = new HashMap<>();
    private final Map<String, Client> clientsByToken = new ConcurrentHashMap<>();
    private final Map<String, Channel> channels = new HashMap<>();
    private final Map<String, Account> accounts = new HashMap<>();
    /** The folded nicks of {@link #accounts}, readable without the lock. Accounts are never deleted. */
    private final java.util.Set<String> accountNames = ConcurrentHashMap.newKeySet();
    private final Map<String, RemoteUser> remoteUsers = new HashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicLong clientIds = new AtomicLong();
    private final AtomicLong accountIds = new AtomicLong();
    private final long startedMillis;
    private volatile Relay relay = Relay.NONE;
    private final Monitoring monitoring = new Monitoring();
    /**
     * Nicks recently given up (renamed or ended), newest first: what WHOWAS answers. In memory only, at
     * most {@link #WHOWAS_PER_NICK} uses of one nick and {@link #WHOWAS_MAX} in all.
     */
    private final java.util.ArrayDeque<GoneUser> whowas = new java.util.ArrayDeque<>();
    private static final int WHOWAS_MAX = 512;
    private static final int WHOWAS_PER_NICK = 2;

    /** A nick that was in use, as WHOWAS shows it. */
    public record GoneUser(String nick, String userName, String realName, long goneMillis) {}

    public ChatState(String serverName, InstantSource clock) {
        this.serverName = serverName;
        this.clock = clock;
        this.startedMillis = clock.millis();
    }

    public ReentrantLock lock() {
        return lock;
    }

    public String serverName() {
        return serverName;
    }

    public long nowMillis() {
        return clock.millis();
    }

    public long startedMillis() {
        return startedMillis;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public Relay relay() {
        return relay;
    }

    public void relay(Relay value) {
        relay = value;
    }

    // -- counters: restored from the store at start-up, persisted with every batch that advances them

    public long nextSeq() {
        return seq.incrementAndGet();
    }

    public long currentSeq() {
        return seq.get();
    }

    long nextSessionId() {
        return sessionIds.incrementAndGet();
    }

    long nextClientId() {
        return clientIds.incrementAndGet();
    }

    long nextAccountId() {
        return accountIds.incrementAndGet();
    }

    /** Counter values: seq, session, client, account. */
    public long[] counters() {
        return new long[] {seq.get(), sessionIds.get(), clientIds.get(), accountIds.get()};
    }

    public void restoreCounters(long seqValue, long sessionValue, long clientValue, long accountValue) {
        seq.set(seqValue);
        sessionIds.set(sessionValue);
        clientIds.set(clientValue);
        accountIds.set(accountValue);
    }

    // -- sessions and clients

    public Session sessionById(long id) {
        return sessions.get(id);
    }

    public Session sessionByNick(String nick) {
        return sessionsByNick.get(Names.fold(nick));
    }

    public Collection<Session> sessions() {
        return sessions.values();
    }

    public void addSession(Session session) {
        sessions.put(session.id(), session);
        sessionsByNick.put(Names.fold(session.nick()), session);
        if (session.accountId() != null) {
            sessionsByAccount.put(session.accountId(), session);
        }
    }

    public Session sessionByAccount(long accountId) {
        return sessionsByAccount.get(accountId);
    }

    public void removeSession(Session session) {
        rememberGone(session);
        sessions.remove(session.id());
        sessionsByNick.remove(Names.fold(session.nick()), session);
        if (session.accountId() != null) {
            sessionsByAccount.remove(session.accountId(), session);
        }
    }

    public void renameSession(Session session, String newNick) {
        rememberGone(session);
        sessionsByNick.remove(Names.fold(session.nick()), session);
        session.nick(newNick);
        sessionsByNick.put(Names.fold(newNick), session);
    }

    /** What is remembered of a nick that is no longer in use, newest first. */
    public List<GoneUser> whowas(String nick) {
        String folded = Names.fold(nick);
        return whowas.stream().filter(g -> Names.fold(g.nick()).equals(folded)).toList();
    }

    private void rememberGone(Session session) {
        List<GoneUser> same = whowas(session.nick());
        if (same.size() >= WHOWAS_PER_NICK) {
            whowas.removeLastOccurrence(same.getLast());
        }
        whowas.addFirst(new GoneUser(session.nick(), session.userName(), session.realName(), clock.millis()));
        if (whowas.size() > WHOWAS_MAX) {
            whowas.removeLast();
        }
    }

    public Client clientByToken(String tokenHash) {
        return clientsByToken.get(tokenHash);
    }

    public void addClient(Client client) {
        client.session().clients().add(client);
        clientsByToken.put(client.tokenHash(), client);
    }

    public void removeClient(Client client) {
        client.markRemoved();
        client.session().clients().remove(client);
        clientsByToken.remove(client.tokenHash());
    }

    public int clientCount() {
        return clientsByToken.size();
    }

    // -- accounts

    public Account account(String nick) {
        return accounts.get(Names.fold(nick));
    }

    public void addAccount(Account account) {
        accounts.put(Names.fold(account.nick()), account);
        accountNames.add(Names.fold(account.nick()));
    }

    /**
     * Whether a nick is an account's, without the lock (transports render from their own threads). A
     * registered nick is only ever used by its account, so a message from it is from that account.
     */
    public boolean isAccountNick(String nick) {
        return nick != null && accountNames.contains(Names.fold(nick));
    }

    /** Is the nick taken by a live session or reserved by an account? */
    public boolean nickTaken(String nick) {
        return sessionsByNick.containsKey(Names.fold(nick)) || accounts.containsKey(Names.fold(nick));
    }

    // -- channels

    public Channel channel(String name) {
        return channels.get(Names.fold(name));
    }

    public Collection<Channel> channels() {
        return channels.values();
    }

    public void addChannel(Channel channel) {
        channels.put(channel.foldedName(), channel);
    }

    public void removeChannel(Channel channel) {
        channels.remove(channel.foldedName());
    }

    // -- remote users (federation)

    public RemoteUser remoteUser(String nick, String server) {
        return remoteUsers.get(Names.fold(nick + "@" + server));
    }

    public RemoteUser remoteUserOrCreate(String nick, String server) {
        return remoteUsers.computeIfAbsent(Names.fold(nick + "@" + server), k -> new RemoteUser(nick, server));
    }

    public void forgetRemoteUser(RemoteUser user) {
        remoteUsers.remove(Names.fold(user.displayName()));
    }

    public Collection<RemoteUser> remoteUsers() {
        return remoteUsers.values();
    }
}
