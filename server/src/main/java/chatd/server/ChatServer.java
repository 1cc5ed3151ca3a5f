package chatd.server;

import chatd.server.core.ChatCore;
import chatd.server.core.ChatState;
import chatd.server.core.Limits;
import chatd.server.core.Passwords;
import chatd.server.core.StampPolicy;
import chatd.server.core.command.CommandRegistry;
import chatd.server.core.command.Operators;
import chatd.server.core.command.ServerReplies;
import chatd.server.federation.Federation;
import chatd.server.federation.FederationEndpoints;
import chatd.server.http.AdminEndpoints;
import chatd.server.http.AdminToken;
import chatd.server.http.HttpApi;
import chatd.server.http.HttpMetrics;
import chatd.server.http.HttpModules;
import chatd.server.http.RateLimiter;
import chatd.server.irc.IrcListener;
import chatd.server.irc.ExemptGrants;
import chatd.server.irc.IrcOptions;
import chatd.server.store.Database;
import chatd.server.store.GroupCommitJournal;
import chatd.server.store.JdbcStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chatd server: store, core, HTTP. {@code create(config)} wires it, {@link #start()} restores the
 * state and listens, {@link #stop()} answers waiting polls, stops listening, commits and closes.
 */
public final class ChatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    private static final int BCRYPT_COST = Integer.getInteger("chatd.bcryptCost", 10);

    private final ServerConfig config;
    private final Database database;
    private final JdbcStore store;
    private final ChatState state;
    private final GroupCommitJournal journal;
    private final ChatCore core;
    private final HttpApi http;
    private final Federation federation;
    /** The IRC gateway (SPEC §10), or null when IRC_PORT and IRC_TLS_PORT are unset. */
    private final IrcListener irc;
    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chatd-janitor").daemon(true).factory());
    private int port;

    private ChatServer(ServerConfig config) {
        this.config = config;
        this.database = openDatabase(config.store().dbUrl());
        this.store = new JdbcStore(database);
        this.state = new ChatState(config.serverName(), InstantSource.system());
        this.journal = new GroupCommitJournal(store, state::counters);
        Limits limits = new Limits(config.motd(), config.limits().queueMax(), config.store().maxHistory(), config.limits().sessionIdleTimeout(), 100);
        StampPolicy stamps = config.limits().hashcashBits() > 0 ? new StampPolicy(config.limits().hashcashBits(), config.serverName()) : StampPolicy.NONE;
        this.core = new ChatCore(state, journal, limits, new CommandRegistry(new ServerReplies(config.motd()),
                Operators.parse(config.security().operators())), stamps, store);
        HttpMetrics metrics = new HttpMetrics(state, journal::backlog, core::pollsInProgress);
        metrics.counter("chatd_journal_commits", "group commits made", () -> journal.commits().commits());
        metrics.counter("chatd_journal_batches", "command batches committed (per commit: / journal_commits)", () -> journal.commits().batches());
        metrics.counter("chatd_journal_commit_seconds", "time spent writing and committing groups in the store",
                () -> journal.commits().nanos() / 1e9);
        metrics.gauge("chatd_store_up", "1 while the store takes writes, 0 while it is down (writes answer 503)",
                () -> journal.unavailableReason() == null ? 1 : 0);
        this.http = new HttpApi(core, metrics);
        Passwords passwords = new Passwords(BCRYPT_COST);
        RateLimiter logins = RateLimiter.perMinute(config.limits().loginRateLimit());
        // The one rule for both doors: an address the operator made exempt is not held to any per-address limit.
        ExemptGrants exempt = config.irc().classes().grants();
        ToLongFunction<String> loginWait = address -> exempt.coversAddress(address) ? 0 : logins.acquire(address);
        HttpModules.standard(core, metrics, config, passwords, loginWait).forEach(m -> m.routes(http));
        this.irc = !config.irc().enabled() ? null : new IrcListener(core, passwords, loginWait,
                IrcOptions.defaults(config.http().bind(), config.irc().port(), config.irc().tlsPort(), config.irc().tlsKeystore(),
                        config.irc().tlsPassword()).withClasses(config.irc().classes()));
        this.federation = Federation.create(config, database, core, metrics.registry());
        AdminToken admin = new AdminToken(config.security().adminToken());
        FederationEndpoints federationEndpoints = new FederationEndpoints(federation, admin);
        federationEndpoints.routes(http);
        metrics.counter("chatd_federation_relay_batches", "relay requests with events received from linked peers",
                federationEndpoints::relayBatches);
        metrics.counter("chatd_federation_relay_events", "events received in relay requests (per batch: / relay_batches)",
                federationEndpoints::relayEvents);
        metrics.gauge("chatd_federation_outbox_dropped", "undelivered events dropped from peer outboxes by FEDERATION_OUTBOX_MAX/_MAX_AGE",
                federation::outboxDropped);
        new AdminEndpoints(core, metrics, admin, journal::backlog, new DatabaseProbe(database), federation::status).routes(http);
    }

    public static ChatServer create(ServerConfig config) {
        return new ChatServer(config);
    }

    public ChatServer start() {
        long t0 = System.nanoTime();
        core.restore(store.load(200_000));
        federation.restore();
        port = listen();
        federation.start();
        if (irc != null) {
            irc.start();
        }
        // Cursors are persisted lazily: a client resends its own cursor, so a late write loses nothing and
        // only delays pruning; every 5 s keeps a 1,000-member channel from costing 2,000 rows a second.
        janitor.scheduleWithFixedDelay(guard(core::flushCursors), 5, 5, TimeUnit.SECONDS);
        // Idle clients are looked for four times per timeout (at most once a minute, at least once a second).
        long idleCheck = Math.clamp(config.limits().sessionIdleTimeout().toMillis() / 4, 1000, 60_000);
        janitor.scheduleWithFixedDelay(guard(core::expireIdleClients), idleCheck, idleCheck, TimeUnit.MILLISECONDS);
        janitor.scheduleWithFixedDelay(guard(() -> store.trimHistory(config.store().maxHistory())), 5, 300, TimeUnit.SECONDS);
        LOG.info("chatd {} listening on http://{}:{} ({} sessions restored in {} ms)", config.serverName(), config.http().bind(), port,
                state.sessions().size(), (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    private static Database openDatabase(String url) {
        try {
            return Database.open(url);
        } catch (RuntimeException e) {
            throw new StartupFailure("DBURL", url.replaceAll("(?i)(password=)[^&]*", "$1***"),
                    "cannot open the database (" + StartupFailure.reason(e) + ")", e);
        }
    }

    /** Starts the HTTP listener; a host it cannot resolve or bind, or a port in use, is a {@link StartupFailure}. */
    private int listen() {
        try {
            InetAddress.getByName(config.http().bind());
        } catch (UnknownHostException e) {
            throw new StartupFailure("BIND", config.http().bind(), "not an address, nor a host name this machine can resolve", e);
        }
        try {
            return http.start(config.http().bind(), config.http().port());
        } catch (RuntimeException e) {
            String reason = StartupFailure.reason(e);
            if (reason.contains("already in use")) {
                throw new StartupFailure("PORT", config.http().port(), "already in use on " + config.http().bind()
                        + " (another chatd running? pick another PORT)", e);
            }
            throw new StartupFailure("BIND", config.http().bind(), "cannot listen on this address (" + reason + ")", e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://" + (config.http().bind().equals("0.0.0.0") ? "127.0.0.1" : config.http().bind()) + ":" + port;
    }

    /** The IRC gateway, or null when it is off. */
    public IrcListener irc() {
        return irc;
    }

    public ChatCore core() {
        return core;
    }

    public ServerConfig config() {
        return config;
    }

    public void stop() {
        janitor.shutdownNow();
        if (irc != null) {
            step("IRC gateway", irc::stop);
        }
        step("federation", federation::stop);
        step("long-polls", core::shutdown);
        step("HTTP", http::stop);
        step("cursors", core::flushCursors);
        step("journal", journal::close);
        step("database", database::close);
        LOG.info("chatd {} stopped", config.serverName());
    }

    /** One shutdown step; a failing step is logged and the next ones still run (the store must close). */
    private static void step(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("stopping {} failed: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("maintenance task failed: {}", e.getMessage());
            }
        };
    }
}
