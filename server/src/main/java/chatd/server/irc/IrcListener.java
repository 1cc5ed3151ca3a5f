package chatd.server.irc;

import chatd.server.StartupFailure;
import chatd.server.core.Account;
import chatd.server.core.ChatCore;
import chatd.server.http.RateLimiter;
import chatd.server.core.ChatError;
import chatd.server.core.Passwords;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IRC gateway (SPEC §10): accepts IRC client connections on IRC_PORT (and, with a certificate, on
 * IRC_TLS_PORT) and runs each on a virtual thread. It has no command semantics of its own: lines become
 * envelopes for {@link ChatCore#execute}, deliveries become lines. Also the registry of live connections:
 * their connection classes (flood control and connections per address, {@link ConnectionClasses}), one
 * connection per account device, and waiting for a dying connection so that its nick is free for the next one.
 */
public final class IrcListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IrcListener.class);
    /** The device name of anonymous IRC clients: swept at start-up (their connection died with the process). */
    static final String ANONYMOUS_DEVICE = "irc";
    /** How long a nick held by another anonymous connection is waited for (it may be dying). */
    private static final java.time.Duration HOLDER_GRACE = java.time.Duration.ofMillis(1500);

    private final ChatCore core;
    private final Passwords passwords;
    /** Source address → seconds to wait before another login attempt: the limiter HTTP logins use too. */
    private final java.util.function.ToLongFunction<String> loginThrottle;
    private final IrcOptions options;
    private final Set<IrcConnection> connections = ConcurrentHashMap.newKeySet();
    private final AddressCounts perAddress;
    private final Map<Long, IrcConnection> byClient = new ConcurrentHashMap<>();
    /** Flood control ("fakelag") by connection class, one bucket per connection; none for a class without a line limit. */
    private final Map<ConnectionClass, RateLimiter> floods = new HashMap<>();
    private final List<ServerSocket> sockets = new ArrayList<>();
    private final DecodedEntries decoded = new DecodedEntries();
    private final RenderedLines rendered;
    private volatile boolean stopped;

    public IrcListener(ChatCore core, Passwords passwords, java.util.function.ToLongFunction<String> loginThrottle,
            IrcOptions options) {
        this.core = core;
        this.rendered = new RenderedLines(new IrcRenderer(core.state().serverName(), core.state()::isAccountNick));
        this.passwords = passwords;
        this.loginThrottle = loginThrottle;
        this.options = options;
        this.perAddress = new AddressCounts(options.classes());
        ConnectionClasses classes = options.classes();
        for (ConnectionClass c : List.of(classes.anonymous(), classes.account(), classes.exempt())) {
            if (!c.unlimitedLines()) {
                floods.put(c, RateLimiter.burstThenPerSecond(c.burst(), c.linesPerSecond(), System::nanoTime));
            }
        }
    }

    /** Opens the configured ports and starts accepting; a port or keystore it cannot use is a {@link StartupFailure}. */
    public IrcListener start() {
        core.endAnonymousClients(ANONYMOUS_DEVICE, "Server restarted");
        try {
            if (options.port() != null) {
                open(ServerSocket::new, "IRC_PORT", options.port(), "irc");
            }
            if (options.tlsPort() != null) {
                SSLContext tls = tlsContext();
                open(() -> tls.getServerSocketFactory().createServerSocket(), "IRC_TLS_PORT", options.tlsPort(), "ircs");
            }
        } catch (StartupFailure e) {
            stop();
            throw e;
        }
        return this;
    }

    /** The plain-text port actually bound (when configured as 0), or -1. */
    public int port() {
        return options.port() == null || sockets.isEmpty() ? -1 : sockets.getFirst().getLocalPort();
    }

    /** The TLS port actually bound, or -1. */
    /** Connections open now, registered or not. */
    public int connectionCount() {
        return connections.size();
    }

    public int tlsPort() {
        return options.tlsPort() == null ? -1 : sockets.getLast().getLocalPort();
    }

    /** Stops accepting and closes every connection (anonymous sessions end, devices stay). */
    public void stop() {
        stopped = true;
        sockets.forEach(IrcListener::closeQuietly);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (IrcConnection c : connections) {
            c.close();
            pending.add(c.done());
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            LOG.warn("IRC gateway: {} connections did not close in time", connections.size());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private interface SocketFactory {
        ServerSocket create() throws IOException;
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void open(SocketFactory factory, String setting, int port, String scheme) {
        ServerSocket server = null;
        try {
            server = factory.create();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(options.bind()), port));
        } catch (IOException e) {
            closeQuietly(server);
            throw new StartupFailure(setting, port, "cannot listen on " + options.bind() + " (" + StartupFailure.reason(e) + ")", e);
        }
        sockets.add(server);
        ServerSocket accepting = server;
        Thread.ofVirtual().name(scheme + "-accept").start(() -> acceptLoop(accepting));
        LOG.info("IRC gateway listening on {}://{}:{}", scheme, options.bind(), server.getLocalPort());
    }

    private void acceptLoop(ServerSocket server) {
        while (!stopped) {
            Socket socket;
            try {
                socket = server.accept();
                // Replies go out as they are produced, often a line at a time: without this, Nagle holds
                // each small write until the previous one is acknowledged (~40 ms with delayed ACKs).
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                if (!stopped) {
                    LOG.warn("IRC gateway: accept failed: {}", e.getMessage());
                }
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        String address = socket.getInetAddress().getHostAddress();
        ConnectionClass cls = options.classes().atAccept(address);
        if (!perAddress.admit(address, cls)) {
            refuse(socket, "Too many connections from " + address);
            return;
        }
        IrcConnection connection = new IrcConnection(this, core, socket, options, cls);
        connections.add(connection);
        Thread.ofVirtual().name("irc-in-" + address).start(connection);
    }

    private static void refuse(Socket socket, String why) {
        try (socket) {
            socket.getOutputStream().write(("ERROR :Closing Link: " + why + "\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the refused client is gone already
        }
    }

    // ---------------------------------------------------------------- what connections ask of the registry

    /** The account when the password matches; the same bcrypt cost either way, so no nick probing. */
    /**
     * Seconds the address must wait before its next login attempt, 0 when it may try now (and the attempt
     * is counted): PASS and SASL share LOGIN_RATE_LIMIT with the HTTP logins of the same address.
     */
    long loginWait(String address) {
        return loginThrottle.applyAsLong(address);
    }

    Account verify(IrcCredentials login) {
        Account account = core.account(login.account());
        boolean ok = passwords.matches(login.password(), account == null ? passwords.decoyHash() : account.passwordHash());
        return account != null && ok ? account : null;
    }

    /**
     * An anonymous session for a connection. When the nick belongs to another anonymous IRC connection, that
     * one may be dying right now (its peer just dropped, and its reader has not seen the EOF yet), so it is
     * given a moment to end: a client reconnecting at once after a drop gets its nick back instead of a
     * spurious 433. A live holder only delays the 433 by {@link #HOLDER_GRACE}.
     */
    ChatCore.Issued createSession(String nick) {
        try {
            return core.createSession(nick, null, ANONYMOUS_DEVICE);
        } catch (ChatError e) {
            IrcConnection holder = anonymousHolder(nick);
            if (holder == null || e.kind() != ChatError.Kind.NICK_IN_USE) {
                throw e;
            }
            try {
                holder.done().get(HOLDER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw e;
            } catch (java.util.concurrent.ExecutionException | TimeoutException stillAlive) {
                throw e;
            }
            return core.createSession(nick, null, ANONYMOUS_DEVICE);
        }
    }

    private IrcConnection anonymousHolder(String nick) {
        String folded = chatd.protocol.Names.fold(nick);
        for (IrcConnection c : connections) {
            if (c.client() != null && !c.isAccountConnection()
                    && chatd.protocol.Names.fold(c.client().session().nick()).equals(folded)) {
                return c;
            }
        }
        return null;
    }

    /** A connection finished registering: an older connection of the same account device is closed. */
    void registered(IrcConnection connection) {
        IrcConnection previous = byClient.put(connection.client().id(), connection);
        if (previous != null && previous != connection) {
            previous.supersede();
        }
    }

    /** Is a live connection attached to a client of this session? */
    boolean serves(chatd.server.core.Session session) {
        return connections.stream().anyMatch(c -> c.client() != null && c.client().session() == session);
    }

    void closed(IrcConnection connection) {
        connections.remove(connection);
        if (connection.client() != null) {
            byClient.remove(connection.client().id(), connection);
        }
        perAddress.release(connection.address(), connection.connectionClass());
    }

    /** The limiter of a class's lines, or null when the class has no line limit. */
    /** The rendered lines every connection's delivery shares. */
    RenderedLines rendered() {
        return rendered;
    }

    /** The decoded envelopes every connection's delivery shares. */
    DecodedEntries decoded() {
        return decoded;
    }

    RateLimiter flood(ConnectionClass cls) {
        return floods.get(cls == null ? options.classes().unregistered() : cls);
    }

    /** The class a registering connection belongs in: by its address, and by its account when it logged in. */
    ConnectionClass classFor(String address, Account account) {
        return options.classes().registered(address, account == null ? null : account.nick());
    }

    /** A connection changes class (null: back to unregistered): false when the new class is full for its address. */
    boolean moveClass(String address, ConnectionClass from, ConnectionClass to) {
        return perAddress.move(address, from, to);
    }

    private SSLContext tlsContext() {
        char[] password = options.tlsPassword() == null ? new char[0] : options.tlsPassword().toCharArray();
        try (InputStream in = Files.newInputStream(options.tlsKeystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new StartupFailure("IRC_TLS_KEYSTORE", options.tlsKeystore(),
                    "not a PKCS#12 keystore that IRC_TLS_PASSWORD opens (" + StartupFailure.reason(e) + ")", e);
        }
    }
}
