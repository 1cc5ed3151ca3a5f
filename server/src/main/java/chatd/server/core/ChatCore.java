package chatd.server.core;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.server.core.command.CommandRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The entry points transports call. The facade owns the state lock and the journal: each change runs
 * under the lock, is enqueued to the journal in the same step, and is answered only once committed; the
 * work itself is done by {@link Sessions} (identity), the {@link CommandRegistry} (commands, deciding
 * through {@link ChannelRules}), {@link Delivery} (long-polls), {@link Cursors} (the janitor's flush)
 * and {@link Views} (what the read-only routes show).
 */
public final class ChatCore {
    private static final int REMEMBERED_IDS = 200_000;
    /** How long a caller waits for its commit before it is answered 503 (the batch stays queued). */
    public static final Duration COMMIT_WAIT = Duration.ofSeconds(5);

    private final ChatState state;
    private final Journal journal;
    private final Limits limits;
    private final CommandRegistry commands;
    private final StampPolicy stamps;
    private final History history;
    private final PollTimer pollTimer = new PollTimer();
    private final Sessions sessions;
    private final Delivery delivery;
    private final Cursors cursors;
    private final Views views;
    /** Client-chosen message ids already accepted and their outcome (idempotent sends); guarded by the lock. */
    private final AcceptedIds acceptedIds = new AcceptedIds(REMEMBERED_IDS);

    public ChatCore(ChatState state, Journal journal, Limits limits, CommandRegistry commands, StampPolicy stamps,
            HistoryReader history) {
        this.state = state;
        this.journal = journal;
        this.limits = limits;
        this.commands = commands;
        this.stamps = stamps;
        this.history = new History(history);
        this.sessions = new Sessions(state, limits, stamps, commands.replies(), pollTimer);
        this.delivery = new Delivery(state, pollTimer);
        this.cursors = new Cursors(state, journal);
        this.views = new Views(state);
    }

    /** A new client: its session and the token to give it (shown once). */
    public record Issued(Session session, Client client, String token) {}

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

    // ---------------------------------------------------------------- identity (Sessions)

    /** POST /session: an anonymous session and its first client. */
    public Issued createSession(String nick, String stamp) {
        return createSession(nick, stamp, "default");
    }

    /**
     * An anonymous session whose first client carries a device name, so that a transport can tell its own
     * clients apart (the IRC gateway names its anonymous clients "irc").
     */
    public Issued createSession(String nick, String stamp, String device) {
        Sessions.requireValidNick(nick);
        return transact(changes -> sessions.createAnonymous(changes, nick, stamp, device));
    }

    /** POST /register: an account (with an already computed password hash), its session and first client. */
    public Issued register(String nick, String passwordHash, String stamp) {
        Sessions.requireValidNick(nick);
        return transact(changes -> sessions.register(changes, nick, passwordHash, stamp));
    }

    /** The account of a nick, for checking a password outside the lock; null when there is none. */
    public Account account(String nick) {
        return Names.isValidNick(nick) ? locked(() -> state.account(nick)) : null;
    }

    /** POST /login (after the password was checked): a new client on the account's session. */
    public Issued login(Account account, String device) {
        return transact(changes -> sessions.login(changes, account, device));
    }

    /** POST /logout: this client goes; the session ends with its last client. */
    public void logout(Client client) {
        logout(client, "Logged out");
    }

    /** As {@link #logout(Client)}, with the QUIT reason others see if the session ends (a lost connection). */
    public void logout(Client client, String reason) {
        transact(changes -> {
            sessions.logout(changes, client, reason);
            return null;
        });
    }

    /** See {@link Attached}. */
    public Attached attachDevice(Account account, String device) {
        return transact(changes -> sessions.attachDevice(changes, account, device));
    }

    /** The client a bearer token belongs to, or null. Lock-free: every request does this. */
    public Client authenticate(String token) {
        return sessions.authenticate(token);
    }

    /** Whether a client authenticated earlier still holds its token (not logged out or expired). */
    public boolean stillAuthenticated(Client client) {
        return sessions.stillAuthenticated(client);
    }

    /** Records the user and real name an IRC client gave in USER, for WHO, WHOIS and WHOWAS. */
    public void identify(Client client, String userName, String realName) {
        locked(() -> {
            client.session().identity(userName, realName);
            return null;
        });
    }

    // ---------------------------------------------------------------- commands

    /**
     * Runs one command for a client and answers the id of the message it created (or null), once committed.
     * A client-chosen {@code id} that was already accepted creates nothing new and answers the same id.
     */
    public String execute(Client client, Envelope envelope) {
        return await(submit(client, envelope), System.nanoTime());
    }

    /**
     * As {@link #execute}, without waiting for the commit: the command has run (a refusal by the rules, or by
     * a store that is down, is thrown here) and its changes are queued behind every earlier command's; the
     * future completes with the created id once they are committed. {@link #await} turns its outcome into
     * what {@code execute} would have answered or thrown.
     */
    public CompletableFuture<String> submit(Client client, Envelope envelope) {
        return submit(client, envelope, true);
    }

    /**
     * As {@link #submit}, for an envelope whose id the transport chose itself (the IRC gateway's, to tell its
     * own messages when they come back): never a retry, so not remembered as an idempotency key. Remembered,
     * a busy gateway's 200,000 of them held ~30 MiB of old generation that G1 kept marking.
     */
    public CompletableFuture<String> submitOnce(Client client, Envelope envelope) {
        return submit(client, envelope, false);
    }

    private CompletableFuture<String> submit(Client client, Envelope envelope, boolean idempotent) {
        state.lock().lock();
        try {
            CompletableFuture<String> earlier = !idempotent || envelope.id() == null ? null : acceptedIds.outcomeOf(envelope.id());
            if (earlier != null) {
                if (!earlier.isDone()) {
                    journal.admit(); // its commit waits for a store that is down: say so now, not after COMMIT_WAIT
                }
                return earlier;
            }
            if (state.clientByToken(client.tokenHash()) == null) {
                throw new ChatError(ChatError.Kind.UNAUTHORIZED, "this client has ended");
            }
            journal.admit();
            return run(client, envelope, idempotent ? envelope.id() : null);
        } finally {
            state.lock().unlock();
        }
    }

    /**
     * Runs a command under the lock and enqueues it; an idempotency key is remembered unless the store
     * refuses the command for good.
     */
    private CompletableFuture<String> run(Client client, Envelope envelope, String idempotencyKey) {
        Changes changes = new Changes(state, pollTimer, state.nowMillis());
        commands.execute(state, changes, client, envelope, limits);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        if (idempotencyKey != null) {
            acceptedIds.accepted(idempotencyKey, outcome);
        }
        String created = changes.createdId();
        journal.submit(changes.mutations(), changes.afterCommitAll()).whenComplete((ok, error) -> {
            if (error == null) {
                outcome.complete(created);
                return;
            }
            if (idempotencyKey != null) {
                // A retry with this id must run again, not be answered this failure.
                locked(() -> {
                    acceptedIds.failed(idempotencyKey, outcome);
                    return null;
                });
            }
            outcome.completeExceptionally(error);
        });
        return outcome;
    }

    // ---------------------------------------------------------------- delivery (Delivery)

    /**
     * Long-poll (SPEC §4) without a thread: {@code answer} gets the entries after {@code after} as soon
     * as there are some, or none at the timeout. It runs on the thread that brings the answer.
     *
     * @throws CursorReset when {@code after} is ahead of this client's entries or below what was discarded
     */
    public Inbox.Waiter poll(Client client, long after, int limit, Duration timeout, Consumer<Inbox.Batch> answer) {
        return delivery.poll(client, after, limit, true, timeout, answer);
    }

    /**
     * Blocking long-poll, for readers that own a thread and write each entry as it comes (the IRC
     * gateway): answered as soon as there is something, never spaced, so a connection's replies keep pace
     * with its commands.
     */
    public Inbox.Batch poll(Client client, long after, int limit, Duration timeout) throws InterruptedException {
        return delivery.pollBlocking(client, after, limit, timeout);
    }

    /** Withdraws a waiting poll whose reader went away; answers false (and does nothing) if it was already answered. */
    public boolean abandon(Client client, Inbox.Waiter waiter) {
        return delivery.abandon(client, waiter);
    }

    /** Server shutdown: every waiting long-poll answers now, and new ones do not wait. */
    public void shutdown() {
        delivery.shutdown();
    }

    /** Long-polls being answered or waiting right now (a metric). */
    public int pollsInProgress() {
        return delivery.pollsInProgress();
    }

    // ---------------------------------------------------------------- views (Views)

    /** GET /state. */
    public Views.UserState stateOf(Client client) {
        return locked(() -> views.userState(client));
    }

    /** GET /channels: every channel that is not +s. */
    public List<Views.ListedChannel> channelList() {
        return locked(views::channelList);
    }

    /** GET /channels/{name}/members, remote members included; null when not visible to the caller. */
    public List<Views.ChannelMember> members(Client client, String channelName) {
        return locked(() -> views.members(client, channelName));
    }

    /**
     * GET /history and CHATHISTORY: only for members of the channel, or the two parties of a DM (else
     * {@code FORBIDDEN}). Read outside the lock; {@code UNAVAILABLE} while the store is down.
     */
    public List<HistoryReader.Stored> history(Client client, String target, History.Query query) {
        String key = locked(() -> views.historyKey(client, target));
        return history.read(key, query, clampedLimit(query.limit()));
    }

    /**
     * The channels the caller is on and its DM partners whose newest message (of {@code commands}, all when
     * empty) is strictly between the two times, least recently active first (IRCv3 CHATHISTORY TARGETS).
     */
    public List<History.Target> historyTargets(Client client, Instant a, Instant b, int limit, Set<String> commands) {
        Map<String, String> channels = locked(() -> views.channelNames(client));
        String party = locked(() -> Changes.dmParty(client.session()));
        List<HistoryReader.Activity> found = history.activity(List.copyOf(channels.keySet()), party, a, b, clampedLimit(limit), commands);
        return locked(() -> {
            List<History.Target> out = new ArrayList<>();
            for (HistoryReader.Activity activity : found) {
                String name = channels.containsKey(activity.key()) ? channels.get(activity.key())
                        : views.dmPartnerName(Changes.dmPartner(activity.key(), party));
                if (name != null) {
                    out.add(new History.Target(name, Instant.ofEpochMilli(activity.lastMillis())));
                }
            }
            return out;
        });
    }

    private int clampedLimit(int limit) {
        return Math.min(Math.max(limit, 1), Math.min(History.MAX_LIMIT, limits.maxHistory()));
    }

    /** The session's read marker of a target (IRCv3 read-marker), or null. */
    public Instant readMarker(Client client, String target) {
        return locked(() -> views.readMarker(client, target));
    }

    // ---------------------------------------------------------------- start-up and maintenance

    /** Rebuilds the in-memory state from the store's snapshot (before serving). */
    public void restore(Snapshot snap) {
        locked(() -> {
            Restore.into(state, sessions, snap);
            long now = state.nowMillis();
            snap.recentStamps().forEach(stamp -> stamps.remember(stamp, now));
            snap.recentMessageIds().forEach(acceptedIds::restore);
            return null;
        });
        cursors.resumeSettling(snap);
    }

    /**
     * Ends every client of anonymous sessions with this device name. A transport whose clients live only
     * as long as a connection (the IRC gateway) calls it at start-up: after a crash their sessions would
     * otherwise hold their nicks until the idle timeout.
     */
    public void endAnonymousClients(String device, String reason) {
        transact(changes -> {
            sessions.endAnonymousClients(changes, device, reason);
            return null;
        });
    }

    /** Ends clients idle longer than the timeout (SPEC §3). */
    public void expireIdleClients() {
        long cutoff = state.nowMillis() - limits.sessionIdleTimeout().toMillis();
        transact(changes -> {
            sessions.expireIdleClients(changes, cutoff);
            return null;
        });
    }

    /** The janitor's run: see {@link Cursors}. */
    public void flushCursors() {
        cursors.flush();
    }

    // ---------------------------------------------------------------- the state lock and the journal

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

    private <T> T locked(Supplier<T> read) {
        state.lock().lock();
        try {
            return read.get();
        } finally {
            state.lock().unlock();
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        return await(future, System.nanoTime());
    }

    /**
     * Waits for a commit until {@link #COMMIT_WAIT} after it was submitted ({@code submittedNanos}, from
     * {@link System#nanoTime}): a batch caught by an outage is retried until the store is back, and its caller
     * is answered 503 meanwhile (a retry with the same message id learns the outcome).
     */
    public static <T> T await(CompletableFuture<T> future, long submittedNanos) {
        try {
            long left = submittedNanos + COMMIT_WAIT.toNanos() - System.nanoTime();
            return future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
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
