package chatd.server.core;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.command.CommandRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The entry points transports call: identity (sessions, accounts, clients), commands, delivery and the
 * read-only views. Each change runs under the state lock, is enqueued to the journal in the same step,
 * and is answered only once committed.
 */
public final class ChatCore {
    private static final int REMEMBERED_IDS = 200_000;
    /** Messages settled per transaction (see {@link #flushCursors()}). */
    private static final int SETTLE_SLICE = 250;
    /** How long a caller waits for its commit before it is answered 503 (the batch stays queued). */
    static final Duration COMMIT_WAIT = Duration.ofSeconds(5);

    private final ChatState state;
    private final Journal journal;
    private final Limits limits;
    private final CommandRegistry commands;
    private final StampPolicy stamps;
    private final HistoryReader history;
    private volatile boolean closing;
    private final PollTimer pollTimer = new PollTimer();
    /** The last seq stored before the previous cursor flush: the next flush settles the queues up to it. */
    private long seqAtLastFlush;
    /**
     * Settled so far. Each settle reads only the slice above it (on PostgreSQL, reading every unsettled
     * row from the start walks the dead index entries of all earlier slices). After a start it begins
     * at the first list left, so a list left behind (committed later than a flush interval) is settled then.
     */
    private long settledUpTo;
    private final java.util.concurrent.atomic.AtomicInteger pollsInProgress = new java.util.concurrent.atomic.AtomicInteger();
    /** Client-chosen message ids already accepted → the outcome (idempotent sends); guarded by the lock. */
    private final Map<String, CompletableFuture<String>> acceptedIds = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };

    public ChatCore(ChatState state, Journal journal, Limits limits, CommandRegistry commands, StampPolicy stamps,
            HistoryReader history) {
        this.state = state;
        this.journal = journal;
        this.limits = limits;
        this.commands = commands;
        this.stamps = stamps;
        this.history = history;
    }

    /** A new client: its session and the token to give it (shown once). */
    public record Issued(Session session, Client client, String token) {}

    public ChatState state() {
        return state;
    }

    public Limits limits() {
        return limits;
    }

    /** Null while the store takes writes; else why not (the health check reports it). */
    public String storeUnavailableReason() {
        return journal.unavailableReason();
    }

    public int hashcashBits() {
        return stamps.bits();
    }

    // ---------------------------------------------------------------- identity

    /** POST /session: an anonymous session and its first client. */
    public Issued createSession(String nick, String stamp) {
        return createSession(nick, stamp, "default");
    }

    /**
     * An anonymous session whose first client carries a device name, so that a transport can tell its own
     * clients apart (the IRC gateway names its anonymous clients "irc").
     */
    public Issued createSession(String nick, String stamp, String device) {
        requireValidNick(nick);
        return transact(changes -> {
            requireFreeNick(nick);
            stamps.admit(stamp, changes);
            Session session = newSession(changes, nick, null);
            return newClient(changes, session, device, false);
        });
    }

    /** POST /register: an account (with an already computed password hash), its session and first client. */
    public Issued register(String nick, String passwordHash, String stamp) {
        requireValidNick(nick);
        return transact(changes -> {
            requireFreeNick(nick);
            stamps.admit(stamp, changes);
            Account account = new Account(state.nextAccountId(), nick, passwordHash);
            state.addAccount(account);
            changes.persist(new Mutation.SaveAccount(account.id(), nick, passwordHash, changes.nowMillis()));
            Session session = newSession(changes, nick, account.id());
            return newClient(changes, session, "default", false);
        });
    }

    /** The account of a nick, for checking a password outside the lock; null when there is none. */
    public Account account(String nick) {
        if (!Names.isValidNick(nick)) {
            return null;
        }
        return locked(() -> state.account(nick));
    }

    /** POST /login (after the password was checked): a new client on the account's session. */
    public Issued login(Account account, String device) {
        return transact(changes -> login(changes, account, device));
    }

    private Issued login(Changes changes, Account account, String device) {
        Session session = state.sessionByAccount(account.id());
        boolean resumed = session != null;
        if (!resumed) {
            if (state.sessionByNick(account.nick()) != null) {
                throw new ChatError(ChatError.Kind.NICK_IN_USE, "nick is in use", Numeric.ERR_NICKNAMEINUSE);
            }
            session = newSession(changes, account.nick(), account.id());
        }
        return newClient(changes, session, device, resumed);
    }

    /** POST /logout: this client goes; the session ends with its last client. */
    public void logout(Client client) {
        logout(client, "Logged out");
    }

    /** As {@link #logout(Client)}, with the QUIT reason others see if the session ends (a lost connection). */
    public void logout(Client client, String reason) {
        transact(changes -> {
            if (state.clientByToken(client.tokenHash()) != null) {
                Lifecycle.removeClient(state, changes, client, reason);
            }
            return null;
        });
    }

    /**
     * A device that reconnects (IRC gateway): the account's existing client with that device name, or a new
     * one. An existing client keeps its cursor, so what it missed is still queued after
     * {@code resumeAfter}; it is sent the welcome and its channels again, as entries after
     * {@code burstAfter}, so the reconnecting program can draw its windows before the missed lines.
     *
     * @param resumeAfter the device's cursor: entries after it up to {@code burstAfter} were missed
     * @param burstAfter  the journal position before the welcome burst of this attach
     */
    public record Attached(Client client, long resumeAfter, long burstAfter) {}

    public Attached attachDevice(Account account, String device) {
        return transact(changes -> {
            Session session = state.sessionByAccount(account.id());
            if (session == null) {
                Issued issued = login(changes, account, device);
                return new Attached(issued.client(), issued.client().ackedSeq(), issued.client().ackedSeq());
            }
            for (Client existing : session.clients()) {
                if (existing.device().equals(device)) {
                    long resumeAfter = existing.ackedSeq();
                    long burstAfter = state.currentSeq();
                    existing.touch(changes.nowMillis());
                    commands.replies().welcome(state, changes, existing);
                    commands.replies().channelState(state, changes, existing);
                    return new Attached(existing, resumeAfter, burstAfter);
                }
            }
            Issued issued = newClient(changes, session, device, true);
            return new Attached(issued.client(), issued.client().ackedSeq(), issued.client().ackedSeq());
        });
    }

    /** The client a bearer token belongs to, or null. Lock-free: every request does this. */
    public Client authenticate(String token) {
        Client client = token == null ? null : state.clientByToken(Tokens.hash(token));
        if (client != null) {
            client.touch(state.nowMillis());
        }
        return client;
    }

    /** Whether a client authenticated earlier still holds its token (not logged out or expired). */
    public boolean stillAuthenticated(Client client) {
        if (client.removed()) {
            return false;
        }
        client.touch(state.nowMillis());
        return true;
    }

    private Session newSession(Changes changes, String nick, Long accountId) {
        Session session = new Session(state.nextSessionId(), nick, accountId, changes.nowMillis(), limits.queueMax(), pollTimer);
        state.addSession(session);
        changes.persist(Lifecycle.saveSession(session));
        state.monitoring().online(state, changes, session);
        return session;
    }

    private Issued newClient(Changes changes, Session session, String device, boolean sendChannelState) {
        String token = Tokens.newToken();
        Client client = new Client(state.nextClientId(), session, Tokens.hash(token), state.currentSeq(), device, 0,
                changes.nowMillis());
        state.addClient(client);
        changes.persist(new Mutation.SaveClient(client.id(), session.id(), client.tokenHash(), client.floorSeq(), device,
                changes.nowMillis()));
        commands.replies().welcome(state, changes, client);
        if (sendChannelState) {
            commands.replies().channelState(state, changes, client);
        }
        return new Issued(session, client, token);
    }

    private void requireValidNick(String nick) {
        if (!Names.isValidNick(nick)) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST,
                    "invalid nick: 1-32 letters, digits, - and []\\`_^{|}, not starting with a digit or -",
                    Numeric.ERR_ERRONEUSNICKNAME);
        }
    }

    private void requireFreeNick(String nick) {
        if (state.nickTaken(nick)) {
            throw new ChatError(ChatError.Kind.NICK_IN_USE, "nick is in use", Numeric.ERR_NICKNAMEINUSE);
        }
    }

    // ---------------------------------------------------------------- commands and delivery

    /**
     * Runs one command for a client and answers the id of the message it created (or null). A
     * client-chosen {@code id} that was already accepted creates nothing new and answers the same id.
     */
    public String execute(Client client, Envelope envelope) {
        CompletableFuture<String> outcome;
        state.lock().lock();
        try {
            CompletableFuture<String> earlier = envelope.id() == null ? null : acceptedIds.get(envelope.id());
            if (earlier != null) {
                if (!earlier.isDone()) {
                    journal.admit(); // its commit waits for a store that is down: say so now, not after COMMIT_WAIT
                }
                outcome = earlier;
            } else {
                if (state.clientByToken(client.tokenHash()) == null) {
                    throw new ChatError(ChatError.Kind.UNAUTHORIZED, "this client has ended");
                }
                journal.admit();
                outcome = run(client, envelope);
            }
        } finally {
            state.lock().unlock();
        }
        return await(outcome);
    }

    /** Runs a command under the lock and enqueues it; its id is remembered unless the store refuses it for good. */
    private CompletableFuture<String> run(Client client, Envelope envelope) {
        Changes changes = new Changes(state, pollTimer, state.nowMillis());
        commands.execute(state, changes, client, envelope, limits);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        String id = envelope.id();
        if (id != null) {
            acceptedIds.put(id, outcome);
        }
        String created = changes.createdId();
        journal.submit(changes.mutations(), changes.afterCommitAll()).whenComplete((ok, error) -> {
            if (error == null) {
                outcome.complete(created);
                return;
            }
            if (id != null) {
                // A retry with this id must run again, not be answered this failure.
                locked(() -> acceptedIds.remove(id, outcome));
            }
            outcome.completeExceptionally(error);
        });
        return outcome;
    }

    /**
     * Long-poll (SPEC §4) without a thread: {@code answer} gets the entries after {@code after} as soon
     * as there are some, or none at the timeout. It runs on the thread that brings the answer.
     *
     * @throws CursorReset when {@code after} is ahead of this client's entries or below what was discarded
     */
    public Inbox.Waiter poll(Client client, long after, int limit, Duration timeout, Consumer<Inbox.Batch> answer) {
        return poll(client, after, limit, true, timeout, answer);
    }

    private Inbox.Waiter poll(Client client, long after, int limit, boolean spaced, Duration timeout,
            Consumer<Inbox.Batch> answer) {
        pollsInProgress.incrementAndGet();
        client.pollStarted();
        try {
            return client.session().inbox().await(client, after, limit, spaced, closing ? Duration.ZERO : timeout, batch -> {
                pollEnded(client);
                answer.accept(batch);
            });
        } catch (CursorReset e) {
            pollEnded(client);
            throw e;
        }
    }

    /** The session's read marker of a target (IRCv3 read-marker), or null. */
    public java.time.Instant readMarker(Client client, String target) {
        return locked(() -> client.session().readMarker(chatd.protocol.Names.fold(target)));
    }

    /** Records the user and real name an IRC client gave in USER, for WHO, WHOIS and WHOWAS. */
    public void identify(Client client, String userName, String realName) {
        locked(() -> {
            client.session().identity(userName, realName);
            return null;
        });
    }

    /**
     * Blocking long-poll, for readers that own a thread and write each entry as it comes (the IRC
     * gateway): answered as soon as there is something, never spaced, so a connection's replies keep pace
     * with its commands.
     */
    public Inbox.Batch poll(Client client, long after, int limit, Duration timeout) throws InterruptedException {
        CompletableFuture<Inbox.Batch> done = new CompletableFuture<>();
        Inbox.Waiter waiter = poll(client, after, limit, false, timeout, done::complete);
        try {
            return done.get();
        } catch (InterruptedException e) {
            abandon(client, waiter);
            throw e;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Withdraws a waiting poll whose reader went away; answers false (and does nothing) if it was already answered. */
    public boolean abandon(Client client, Inbox.Waiter waiter) {
        if (!waiter.cancel()) {
            return false;
        }
        pollEnded(client);
        return true;
    }

    private void pollEnded(Client client) {
        client.pollEnded(state.nowMillis());
        pollsInProgress.decrementAndGet();
    }

    /** Server shutdown: every waiting long-poll answers now, and new ones do not wait. */
    public void shutdown() {
        closing = true;
        for (Session s : state.sessions()) {
            s.inbox().close();
        }
        pollTimer.close();
    }

    /** Long-polls being answered or waiting right now (a metric). */
    public int pollsInProgress() {
        return pollsInProgress.get();
    }

    // ---------------------------------------------------------------- views

    /** GET /state. */
    public Map<String, Object> stateOf(Client client) {
        return locked(() -> {
            Session s = client.session();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", s.id());
            out.put("nick", s.nick());
            if (s.away() != null) {
                out.put("away", s.away());
            }
            List<Map<String, Object>> channels = new ArrayList<>();
            for (Channel c : s.channels()) {
                channels.add(Map.of("name", c.name(), "topic", c.topic()));
            }
            out.put("channels", channels);
            return out;
        });
    }

    /** GET /channels: every channel that is not +s. */
    public List<Map<String, Object>> channelList() {
        return locked(() -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Channel c : state.channels()) {
                if (!c.secret()) {
                    out.add(Map.of("name", c.name(), "topic", c.topic(), "members", c.size()));
                }
            }
            out.sort((a, b) -> ((String) a.get("name")).compareToIgnoreCase((String) b.get("name")));
            return out;
        });
    }

    /** GET /channels/{name}/members, remote members included; null when not visible to the caller. */
    public List<Map<String, Object>> members(Client client, String channelName) {
        return locked(() -> {
            Channel c = state.channel(channelName);
            if (c == null || (c.secret() && !c.has(client.session()))) {
                return null;
            }
            long now = state.nowMillis();
            List<Map<String, Object>> out = new ArrayList<>();
            for (Membership m : c.members()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("nick", m.member().displayName());
                row.put("server", m.member().server(state));
                row.put("modes", m.modes());
                if (m.member().away() != null) {
                    row.put("away", m.member().away());
                }
                row.put("presence", m.member().presence(now));
                out.add(row);
            }
            return out;
        });
    }

    /** GET /history: only for members of the channel, or the two parties of a DM. */
    public List<HistoryReader.Stored> history(Client client, String target, long before, int limit) {
        String key = locked(() -> {
            if (Names.isChannel(target)) {
                Channel c = state.channel(target);
                if (c == null || !c.has(client.session())) {
                    throw new ChatError(ChatError.Kind.FORBIDDEN, "you are not on " + target, Numeric.ERR_NOTONCHANNEL);
                }
                return c.foldedName();
            }
            return Changes.dmKey(client.session().nick(), target);
        });
        return history.history(key, before, Math.min(Math.max(limit, 1), limits.maxHistory()));
    }

    // ---------------------------------------------------------------- start-up

    /** Rebuilds the in-memory state from the store's snapshot (before serving). */
    public void restore(Snapshot snap) {
        locked(() -> {
            long[] k = snap.counters();
            state.restoreCounters(k[0], k[1], k[2], k[3]);
            snap.accounts().forEach(state::addAccount);
            for (Mutation.SaveSession row : snap.sessions()) {
                Session s = new Session(row.id(), row.nick(), row.accountId(), row.createdMillis(), limits.queueMax(), pollTimer);
                s.away(row.away());
                state.addSession(s);
            }
            for (Snapshot.ClientRow row : snap.clients()) {
                Session s = state.sessionById(row.sessionId());
                if (s != null) {
                    state.addClient(new Client(row.id(), s, row.tokenHash(), row.floorSeq(), row.device(), row.ackedSeq(),
                            row.lastSeenMillis()));
                }
            }
            for (Mutation.SaveChannel row : snap.channels()) {
                Channel c = new Channel(row.name(), row.createdMillis());
                c.topic(row.topic(), row.topicSetter(), row.topicMillis());
                c.flags(row.flags());
                c.key(row.key());
                c.limit(row.limit());
                row.bans().forEach(c::addBan);
                state.addChannel(c);
            }
            for (Snapshot.MembershipRow row : snap.memberships()) {
                Channel c = state.channel(row.channelFolded());
                Session s = state.sessionById(row.sessionId());
                if (c != null && s != null) {
                    Membership m = c.add(s, row.modes().contains("o"));
                    m.voice(row.modes().contains("v"));
                    s.channels().add(c);
                }
            }
            for (Snapshot.InboxRow row : snap.inbox()) {
                Session s = state.sessionById(row.sessionId());
                if (s != null) {
                    s.inbox().append(new Inbox.Entry(row.seq(), row.clientId(), row.json()));
                }
            }
            long now = state.nowMillis();
            snap.recentStamps().forEach(stamp -> stamps.remember(stamp, now));
            snap.recentMessageIds().forEach(id -> acceptedIds.put(id, CompletableFuture.completedFuture(id)));
            return null;
        });
        synchronized (this) {
            // Settling resumes where lists are left, not at seq 0 (a slice per 250 seqs of the whole store).
            settledUpTo = snap.firstUnsettledSeq() > 0 ? snap.firstUnsettledSeq() - 1 : state.currentSeq();
        }
    }

    // ---------------------------------------------------------------- maintenance

    /**
     * Ends every client of anonymous sessions with this device name. A transport whose clients live only
     * as long as a connection (the IRC gateway) calls it at start-up: after a crash their sessions would
     * otherwise hold their nicks until the idle timeout.
     */
    public void endAnonymousClients(String device, String reason) {
        transact(changes -> {
            for (Session s : List.copyOf(state.sessions())) {
                if (s.accountId() != null) {
                    continue;
                }
                for (Client c : List.copyOf(s.clients())) {
                    if (c.device().equals(device)) {
                        Lifecycle.removeClient(state, changes, c, reason);
                    }
                }
            }
            return null;
        });
    }

    /** Ends clients idle longer than the timeout (SPEC §3). */
    public void expireIdleClients() {
        long cutoff = state.nowMillis() - limits.sessionIdleTimeout().toMillis();
        transact(changes -> {
            for (Session s : List.copyOf(state.sessions())) {
                for (Client c : List.copyOf(s.clients())) {
                    if (c.idleSince(cutoff)) {
                        Lifecycle.removeClient(state, changes, c, "Idle timeout");
                    }
                }
            }
            return null;
        });
    }

    /**
     * Persists client cursors and last-seen times lazily, lets the store discard acknowledged rows, and
     * settles the messages stored before the previous flush (their recipients have had a flush interval
     * to acknowledge them; see {@link Mutation.SettleQueues}).
     */
    public synchronized void flushCursors() {
        List<Mutation> touches = new ArrayList<>();
        List<Client> dirty = new ArrayList<>();
        List<Long> marks = new ArrayList<>();
        long settleTarget;
        Map<Long, Long> pendingFrom = new HashMap<>();
        Set<Long> clients = new HashSet<>();
        state.lock().lock();
        try {
            settleTarget = seqAtLastFlush;
            seqAtLastFlush = state.currentSeq();
            // The queues' view is only needed when there is something to settle (not on an idle server).
            boolean settling = settleTarget > settledUpTo;
            for (Session s : state.sessions()) {
                long min = Long.MAX_VALUE;
                boolean changed = false;
                for (Client c : s.clients()) {
                    min = Math.min(min, c.ackedSeq());
                    changed |= c.ackedSeq() != c.persistedAckedSeq();
                    if (settling) {
                        clients.add(c.id());
                    }
                }
                if (settling && min < Long.MAX_VALUE) {
                    pendingFrom.put(s.id(), Math.max(min + 1, s.inbox().start()));
                }
                if (!changed) {
                    continue;
                }
                for (Client c : s.clients()) {
                    touches.add(new Mutation.TouchClient(c.id(), s.id(), c.ackedSeq(), c.lastSeenMillis(), min));
                    dirty.add(c);
                    marks.add(c.ackedSeq());
                }
            }
        } finally {
            state.lock().unlock();
        }
        if (!touches.isEmpty()) {
            journal.writeAside(touches);
            for (int i = 0; i < dirty.size(); i++) {
                dirty.get(i).markPersisted(marks.get(i));
            }
        }
        // In slices, each its own transaction: members that read nothing (a sleeping phone, a bot) give
        // every message a row here, and one large write would hold up the journal's commits behind it.
        while (settledUpTo < settleTarget) {
            long upTo = Math.min(settledUpTo + SETTLE_SLICE, settleTarget);
            journal.writeAside(List.of(new Mutation.SettleQueues(settledUpTo, upTo, pendingFrom, clients)));
            settledUpTo = upTo;
        }
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Queues bookkeeping that no state and no answer depends on (deleting acknowledged outbox rows) with
     * the next group commit, without waiting for it; a lost write only means the work is redone.
     */
    public void persistLater(Mutation mutation) {
        journal.submit(List.of(mutation), () -> { });
    }

    /** Runs an operation under the lock, enqueues its changes, and answers after they are committed. */
    public <T> T transact(Function<Changes, T> operation) {
        T result;
        CompletableFuture<Void> commit;
        state.lock().lock();
        try {
            journal.admit();
            Changes changes = new Changes(state, pollTimer, state.nowMillis());
            result = operation.apply(changes);
            if (changes.mutations().isEmpty()) {
                changes.afterCommitAll().run();
                return result;
            }
            commit = journal.submit(changes.mutations(), changes.afterCommitAll());
        } finally {
            state.lock().unlock();
        }
        await(commit);
        return result;
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        state.lock().lock();
        try {
            return read.get();
        } finally {
            state.lock().unlock();
        }
    }

    /**
     * Waits for a commit, at most {@link #COMMIT_WAIT}: a batch caught by an outage is retried until the store
     * is back, and its caller is answered 503 meanwhile (a retry with the same message id learns the outcome).
     */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw ChatError.unavailable("not committed yet: the store is unavailable; it is applied once the store is back "
                    + "(send the same id again to learn the outcome)", COMMIT_WAIT.toSeconds());
        } catch (ExecutionException e) {
            throw ChatError.unavailable("the store could not commit: " + e.getCause().getMessage(), COMMIT_WAIT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChatError.unavailable("interrupted while waiting for the store", COMMIT_WAIT.toSeconds());
        }
    }
}
