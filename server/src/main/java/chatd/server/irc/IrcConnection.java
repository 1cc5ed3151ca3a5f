package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.protocol.Numeric;
import chatd.server.core.Account;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.http.RateLimiter;
import chatd.server.core.Client;
import chatd.server.core.Views;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IRC client connection: the registration state machine and the reader loop, run on its own
 * virtual thread; delivery runs on a second one ({@link IrcDelivery}).
 *
 * <p>Two kinds of connection (SPEC §10). Without credentials, NICK/USER create an anonymous session
 * that <em>is</em> this connection: when the socket closes, with or without QUIT, the session ends at
 * once. With PASS or SASL PLAIN the connection is one device of the account's session: when it drops
 * (or QUITs, as clients do on exit) the session lives on and the device's queue keeps filling, to be
 * replayed on the next connection with the same account and device, like a bouncer.
 *
 * <p>Everything after registration is mapped onto the core's commands ({@link IrcInbound}); only what is
 * transport-level is answered here: CAP, AUTHENTICATE, PASS/USER, PING/PONG, QUIT, flood control.
 */
final class IrcConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IrcConnection.class);
    private static final int MAX_OWN_IDS = 4096;
    /** Targets of one PRIVMSG, NOTICE or KICK, as ISUPPORT TARGMAX says (the core's limit). */
    private static final int TARGMAX = 4;
    /** What a client sends that comes back to it only with echo-message. */
    private static final Set<String> MESSAGES = Set.of("PRIVMSG", "NOTICE", "TAGMSG");
    private static final int SASL_CHUNK = 400;
    private static final int SASL_MAX = 4096;
    /** How long a reader's own reply waits for the delivery of earlier ones before going anyway. */
    private static final Duration CATCH_UP_MAX = Duration.ofSeconds(5);

    private final IrcListener listener;
    private final ChatCore core;
    private final Socket socket;
    private final String address;
    private final IrcOptions options;
    private final IrcRenderer renderer;
    private final LabeledReplies labels;
    private final IrcChatHistory chatHistory;
    private final RateLimiter flood;
    /** This connection's key in the flood limiter: its remote address and port. */
    private final String floodKey;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Ids of the messages this connection sent: their echo is skipped unless echo-message is on. */
    private final Set<String> ownIds = ConcurrentHashMap.newKeySet();
    private IrcOutput output;
    private ReceiveQueue received;
    /** While a labeled command runs (reader thread only): where the reader's own replies go. */
    private List<IrcLine> collecting;

    // registration state: reader thread only
    private String pendingNick;
    private String userName;
    private String realName;
    private String pass;
    private boolean capNegotiating;
    private boolean cap302;
    private StringBuilder saslBuffer;
    private IrcCredentials saslLogin;
    private Account saslAccount;

    private volatile Set<IrcCaps> caps = Collections.unmodifiableSet(EnumSet.noneOf(IrcCaps.class));
    private volatile Client client;
    private volatile boolean accountConnection;
    private volatile boolean open = true;
    private volatile boolean quitSent;
    private volatile boolean superseded;
    private volatile Thread deliveryThread;
    private volatile IrcDelivery delivery;

    IrcConnection(IrcListener listener, ChatCore core, Socket socket, IrcOptions options) {
        this.listener = listener;
        this.core = core;
        this.socket = socket;
        this.address = socket.getInetAddress().getHostAddress();
        this.options = options;
        this.renderer = new IrcRenderer(core.state().serverName(), core.state()::isAccountNick);
        this.labels = new LabeledReplies(core.state().serverName());
        this.chatHistory = new IrcChatHistory(core, renderer);
        this.flood = listener.flood();
        this.floodKey = address + ":" + socket.getPort();
    }

    String address() {
        return address;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    boolean isOpen() {
        return open;
    }

    /** Has the core ended this client (idle expiry, an HTTP logout with its token)? */
    boolean clientIsLive() {
        Client c = client;
        return c != null && core.state().clientByToken(c.tokenHash()) == c;
    }

    Client client() {
        return client;
    }

    boolean isAccountConnection() {
        return accountConnection;
    }

    IrcOutput output() {
        return output;
    }

    String describe() {
        Client c = client;
        return address + (c == null ? "" : " (" + c.session().nick() + "/" + c.device() + ")");
    }

    // ---------------------------------------------------------------- reader loop

    @Override
    public void run() {
        try {
            output = new IrcOutput(socket.getOutputStream());
            LineReader reader = new LineReader(new java.io.BufferedInputStream(socket.getInputStream(), 8192),
                    IrcLine.MAX_TAG_BYTES + IrcLine.MAX_MESSAGE_BYTES);
            received = ReceiveQueue.start(reader, "irc-recv-" + address);
            long registrationDeadline = System.nanoTime() + options.registrationTimeout().toNanos();
            boolean pingSent = false;
            while (open) {
                LineReader.Line line;
                try {
                    line = received.next(readTimeoutMillis(registrationDeadline));
                } catch (SocketTimeoutException e) {
                    if (client == null) {
                        if (System.nanoTime() >= registrationDeadline) {
                            fail("Registration timed out");
                            return;
                        }
                        continue;
                    }
                    if (pingSent) {
                        fail("Ping timeout: " + options.pingInterval().multipliedBy(2).toSeconds() + " seconds");
                        return;
                    }
                    output.send(IrcLine.of(null, "PING", renderer.serverName()));
                    pingSent = true;
                    continue;
                }
                if (line == null) {
                    return;
                }
                pingSent = false;
                if (line.tooLong()) {
                    numeric(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
                    continue;
                }
                if (!line.utf8() && client != null) {
                    IrcLine parsed = IrcLine.parse(line.text());
                    reply(IrcLine.of(renderer.serverName(), "FAIL", parsed == null ? "*" : parsed.command(), "INVALID_UTF8",
                            "Message rejected, your message was not valid UTF-8").withTrailing());
                    continue;
                }
                handleRaw(line.text());
            }
        } catch (IOException e) {
            LOG.debug("IRC connection {} closed: {}", describe(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("IRC connection {} failed", describe(), e);
        } finally {
            teardown();
        }
    }

    private int readTimeoutMillis(long registrationDeadline) {
        if (client != null) {
            return (int) Math.max(1, options.pingInterval().toMillis());
        }
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(registrationDeadline - System.nanoTime()));
    }

    private void handleRaw(String text) {
        int space = text.startsWith("@") ? text.indexOf(' ') : -1;
        String message = space >= 0 ? text.substring(space + 1) : text;
        if (message.getBytes(StandardCharsets.UTF_8).length + 2 > IrcLine.MAX_MESSAGE_BYTES
                || (space >= 0 && space - 1 > IrcLine.MAX_CLIENT_TAG_BYTES)) {
            numeric(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
            return;
        }
        IrcLine line = IrcLine.parse(text);
        if (line == null) {
            return;
        }
        long lag = flood.lag(floodKey);
        if (lag > 0) {
            try {
                // fakelag: the flooder waits, nobody else does; if it hangs up meanwhile, its backlog goes unread
                if (received.awaitPeerClosed(lag)) {
                    open = false;
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                open = false;
                return;
            }
        }
        String label = caps.contains(IrcCaps.LABELED_RESPONSE) ? line.tags().get("label") : null;
        IrcDelivery d = delivery;
        if (label != null && d != null) {
            handleLabeled(d, line, label);
        } else {
            handleReporting(line);
        }
    }

    private void handleReporting(IrcLine line) {
        try {
            handle(line);
        } catch (ChatError e) {
            chatError(e);
        }
    }

    /**
     * IRCv3 labeled-response: the command's replies, those the reader writes itself and those from the
     * queue, go out as one labeled line, a labeled {@code BATCH}, or a labeled {@code ACK} when there are none.
     */
    private void handleLabeled(IrcDelivery d, IrcLine line, String label) {
        List<IrcLine> direct = new ArrayList<>();
        try {
            d.runLabeled(() -> {
                collecting = direct;
                try {
                    handleReporting(line);
                } finally {
                    collecting = null;
                }
            }, queued -> {
                List<IrcLine> all = new ArrayList<>(queued);
                all.addAll(direct);
                return labels.wrap(label, all, caps.contains(IrcCaps.BATCH));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    private void handle(IrcLine line) {
        switch (line.command()) {
            case "CAP" -> cap(line);
            case "AUTHENTICATE" -> authenticate(line);
            case "PASS" -> {
                if (client != null) {
                    numeric(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
                } else if (line.params().isEmpty()) {
                    numeric(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "PASS");
                } else {
                    pass = line.param(0);
                }
            }
            case "USER" -> user(line);
            case "NICK" -> {
                if (client != null) {
                    execute(line);
                } else if (line.params().isEmpty() || line.param(0).isEmpty()) {
                    numeric(Numeric.ERR_NONICKNAMEGIVEN, "No nickname given");
                } else {
                    pendingNick = line.param(0);
                    tryRegister();
                }
            }
            case "PING" -> {
                if (line.params().isEmpty()) {
                    numeric(Numeric.ERR_NOORIGIN, "No origin specified");
                } else {
                    reply(IrcLine.of(renderer.serverName(), "PONG", renderer.serverName(), line.last()).withTrailing());
                }
            }
            case "PONG" -> { }
            case "QUIT" -> quit(line.params().isEmpty() ? null : line.param(0));
            default -> {
                if (client == null) {
                    numeric(Numeric.ERR_NOTREGISTERED, "You have not registered");
                } else {
                    execute(line);
                }
            }
        }
    }

    // ---------------------------------------------------------------- registration

    private void user(IrcLine line) {
        if (client != null) {
            numeric(Numeric.ERR_ALREADYREGISTERED, "You may not reregister");
        } else if (line.params().size() < 4 || line.param(0).isEmpty() || line.param(3).isEmpty()) {
            numeric(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "USER");
        } else {
            userName = line.param(0);
            realName = line.param(3);
            tryRegister();
        }
    }

    /** CAP LS [302] | CAP REQ :caps | CAP LIST | CAP END (IRCv3 capability negotiation). */
    private void cap(IrcLine line) {
        String sub = line.param(0) == null ? "" : line.param(0).toUpperCase(java.util.Locale.ROOT);
        String me = nickOrStar();
        switch (sub) {
            case "LS" -> {
                if (client == null) {
                    capNegotiating = true;
                }
                cap302 |= line.param(1) != null && line.param(1).compareTo("302") >= 0;
                List<String> offered = new ArrayList<>();
                for (IrcCaps c : IrcCaps.values()) {
                    offered.add(c.advertised(cap302));
                }
                reply(IrcLine.of(renderer.serverName(), "CAP", me, "LS", String.join(" ", offered)).withTrailing());
            }
            case "REQ" -> {
                if (client == null) {
                    capNegotiating = true;
                }
                String requested = line.param(1) == null ? "" : line.param(1).trim();
                Set<IrcCaps> next = EnumSet.noneOf(IrcCaps.class);
                next.addAll(caps);
                boolean ok = !requested.isEmpty();
                for (String name : requested.split(" +")) {
                    boolean remove = name.startsWith("-");
                    IrcCaps c = IrcCaps.byName(remove ? name.substring(1) : name);
                    if (c == null) {
                        ok = false;
                    } else if (remove) {
                        next.remove(c);
                    } else {
                        next.add(c);
                    }
                }
                if (ok) {
                    caps = Collections.unmodifiableSet(next);
                }
                reply(IrcLine.of(renderer.serverName(), "CAP", me, ok ? "ACK" : "NAK", requested).withTrailing());
            }
            case "LIST" -> reply(IrcLine.of(renderer.serverName(), "CAP", me, "LIST",
                    String.join(" ", caps.stream().map(IrcCaps::wireName).toList())).withTrailing());
            case "END" -> {
                capNegotiating = false;
                tryRegister();
            }
            default -> numeric(Numeric.ERR_INVALIDCAPCMD, "Invalid CAP command", sub.isEmpty() ? "*" : sub);
        }
    }

    /** AUTHENTICATE PLAIN, then the base64 payload in 400-byte chunks ("+" = empty; "*" aborts). */
    private void authenticate(IrcLine line) {
        String arg = line.param(0);
        if (client != null || saslAccount != null) {
            numeric(Numeric.ERR_SASLALREADY, "You have already authenticated using SASL");
            return;
        }
        if (arg == null) {
            numeric(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "AUTHENTICATE");
            return;
        }
        if (arg.equals("*")) {
            saslBuffer = null;
            numeric(Numeric.ERR_SASLABORTED, "SASL authentication aborted");
            return;
        }
        if (saslBuffer == null) {
            if (!arg.equalsIgnoreCase("PLAIN")) {
                numeric(Numeric.RPL_SASLMECHS, "are available SASL mechanisms", "PLAIN");
                numeric(Numeric.ERR_SASLFAIL, "SASL authentication failed");
                return;
            }
            saslBuffer = new StringBuilder();
            reply(IrcLine.of(null, "AUTHENTICATE", "+"));
            return;
        }
        if (!arg.equals("+")) {
            saslBuffer.append(arg);
        }
        if (saslBuffer.length() > SASL_MAX) {
            saslBuffer = null;
            numeric(Numeric.ERR_SASLTOOLONG, "SASL message too long");
            return;
        }
        if (arg.length() == SASL_CHUNK) {
            return; // more chunks follow
        }
        String payload = saslBuffer.toString();
        saslBuffer = null;
        IrcCredentials login;
        try {
            login = IrcCredentials.fromSaslPlain(java.util.Base64.getDecoder().decode(payload));
        } catch (IllegalArgumentException e) {
            login = null;
        }
        long wait = listener.loginWait(address);
        if (wait > 0) {
            numeric(Numeric.ERR_SASLFAIL, "SASL authentication failed: too many login attempts, retry in " + wait + " s");
            return;
        }
        Account account = login == null ? null : listener.verify(login);
        if (account == null) {
            numeric(Numeric.ERR_SASLFAIL, "SASL authentication failed");
            return;
        }
        saslLogin = login;
        saslAccount = account;
        String mask = account.nick() + "!" + account.nick() + "@" + renderer.serverName();
        numeric(Numeric.RPL_LOGGEDIN, "You are now logged in as " + account.nick(), mask, account.nick());
        numeric(Numeric.RPL_SASLSUCCESS, "SASL authentication successful");
    }

    private void tryRegister() {
        if (client != null || pendingNick == null || userName == null || capNegotiating || saslBuffer != null) {
            return;
        }
        if (saslAccount != null) {
            attach(saslAccount, saslLogin.device());
        } else if (pass != null) {
            long wait = listener.loginWait(address);
            if (wait > 0) {
                numeric(Numeric.ERR_PASSWDMISMATCH, "Too many login attempts, retry in " + wait + " s");
                fail("Too many login attempts");
                return;
            }
            IrcCredentials login = IrcCredentials.fromPass(pass, userName, pendingNick);
            Account account = login == null ? null : listener.verify(login);
            if (account == null) {
                numeric(Numeric.ERR_PASSWDMISMATCH, "Password incorrect");
                fail("Bad password");
                return;
            }
            attach(account, login.device());
        } else {
            anonymous();
        }
    }

    private void anonymous() {
        String nick = pendingNick;
        ChatCore.Issued issued;
        try {
            issued = listener.createSession(nick);
        } catch (ChatError e) {
            if (e.numeric() == Numeric.ERR_NICKNAMEINUSE) {
                numeric(Numeric.ERR_NICKNAMEINUSE, "Nickname is already in use", nick);
            } else if (e.numeric() == Numeric.ERR_ERRONEUSNICKNAME) {
                numeric(Numeric.ERR_ERRONEUSNICKNAME, "Erroneous nickname", nick);
            } else {
                fail(e.getMessage());
                return;
            }
            pendingNick = null;
            return;
        }
        accountConnection = false;
        start(new ChatCore.Attached(issued.client(), issued.client().ackedSeq(), issued.client().ackedSeq()));
    }

    private void attach(Account account, String device) {
        ChatCore.Attached attached;
        try {
            attached = core.attachDevice(account, device);
        } catch (ChatError e) {
            fail(e.getMessage());
            return;
        }
        accountConnection = true;
        start(attached);
    }

    private void start(ChatCore.Attached attached) {
        client = attached.client();
        core.identify(client, IrcCredentials.userPart(userName), realName);
        listener.registered(this);
        IrcDelivery d = new IrcDelivery(core, this, attached);
        delivery = d;
        deliveryThread = Thread.ofVirtual().name("irc-out-" + client.session().nick()).start(d);
    }

    // ---------------------------------------------------------------- registered commands

    private void execute(IrcLine line) {
        if (line.command().equals("CHATHISTORY")) {
            reply(chatHistory.answer(client, line, caps));
            return;
        }
        if (line.command().equals("JOIN") && "0".equals(line.param(0))) {
            partAll();
            return;
        }
        List<Envelope> envelopes = IrcInbound.translate(line);
        if (envelopes.size() > TARGMAX && Set.of("PRIVMSG", "NOTICE", "KICK").contains(line.command())) {
            if (!line.command().equals("NOTICE")) { // NOTICE is never answered
                numeric(Numeric.ERR_TOOMANYTARGETS, "Too many targets, at most " + TARGMAX, line.param(0));
            }
            return;
        }
        for (Envelope e : envelopes) {
            if (e.id() != null) {
                if (ownIds.size() > MAX_OWN_IDS) {
                    ownIds.clear();
                }
                ownIds.add(e.id());
            }
            core.execute(client, e);
        }
    }

    /** {@code JOIN 0} (RFC 2812 §3.2.1): part every channel. */
    private void partAll() {
        List<Views.JoinedChannel> channels = core.stateOf(client).channels();
        if (!channels.isEmpty()) {
            String names = String.join(",", channels.stream().map(Views.JoinedChannel::name).toList());
            core.execute(client, Envelope.of("PART", null, names, List.of(), null));
        }
    }

    private void quit(String reason) {
        Client c = client;
        if (c != null && !accountConnection) {
            quitSent = true;
            core.execute(c, Envelope.of("QUIT", null, null, List.of(), reason == null ? null : List.of(reason)));
        }
        String why = reason == null ? "Client Quit" : "Quit: " + reason;
        reply(IrcLine.of(null, "ERROR", "Closing Link: " + address + " (" + why + ")").withTrailing());
        open = false;
    }

    private void chatError(ChatError e) {
        if (e.kind() == ChatError.Kind.UNAUTHORIZED) {
            fail("Your session has ended");
        } else {
            reply(serverNotice(e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- delivery hooks

    /** The lines for one delivered envelope; this connection's own messages are skipped without echo-message. */
    List<IrcLine> linesFor(Envelope e) {
        Set<IrcCaps> current = caps;
        boolean own = e.id() != null && MESSAGES.contains(e.command()) && ownIds.remove(e.id());
        List<IrcLine> lines = renderer.render(e, current);
        if (e.command().equals("JOIN") && current.contains(IrcCaps.READ_MARKER) && byMe(e)) {
            return withReadMarker(lines, e.to());
        }
        if (!own) {
            return lines;
        }
        boolean echo = current.contains(IrcCaps.ECHO_MESSAGE);
        if (toSelf(e)) { // a message to oneself is received like any other; with echo-message, echoed too
            if (!echo) {
                return lines;
            }
            List<IrcLine> twice = new ArrayList<>(lines);
            twice.addAll(lines);
            return twice;
        }
        return echo ? lines : List.of();
    }

    /** After our own JOIN, the channel's read marker (draft/read-marker), before the names. */
    private List<IrcLine> withReadMarker(List<IrcLine> join, String channel) {
        java.time.Instant at = core.readMarker(client, channel);
        List<IrcLine> out = new ArrayList<>(join);
        out.add(IrcLine.of(renderer.serverName(), "MARKREAD", channel,
                at == null ? "*" : "timestamp=" + chatd.server.core.command.ServerTime.format(at)));
        return out;
    }

    private boolean byMe(Envelope e) {
        Client c = client;
        return c != null && e.from() != null && chatd.protocol.Names.fold(e.from()).equals(chatd.protocol.Names.fold(c.session().nick()));
    }

    /** A message this user sent to their own nick. */
    boolean toSelf(Envelope e) {
        Client c = client;
        return c != null && e.to() != null && chatd.protocol.Names.fold(e.to()).equals(chatd.protocol.Names.fold(c.session().nick()));
    }

    /** Whether this connection sent the message (its echo is a reply to the sender). */
    boolean sentHere(Envelope e) {
        return e.id() != null && ownIds.contains(e.id());
    }

    IrcLine serverNotice(String text) {
        return IrcLine.of(renderer.serverName(), "NOTICE", nickOrStar(), text).withTrailing();
    }

    /** The delivery thread stopped (socket gone, client ended): the connection goes too. */
    void deliveryEnded() {
        if (quitSent) {
            return; // the reader is answering the QUIT and closes the socket after its ERROR line
        }
        if (open && !clientIsLive()) {
            output.send(IrcLine.of(null, "ERROR", "Closing Link: " + address + " (Session ended)").withTrailing());
        }
        closeSocket();
    }

    /** Another connection took over this account device: this one is closed, its client left alone. */
    void supersede() {
        superseded = true;
        output.send(IrcLine.of(null, "ERROR", "Closing Link: " + address + " (Device connected elsewhere)").withTrailing());
        closeSocket();
    }

    /** Server shutdown or a listener decision. */
    void close() {
        closeSocket();
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * A line the reader answers itself. Once registered, replies to earlier commands travel through the
     * client's queue: this waits until they are written, so the connection's replies keep command order.
     */
    private void reply(IrcLine line) {
        reply(List.of(line));
    }

    /** Several lines the reader answers itself, written together (a batch is never interleaved). */
    private void reply(List<IrcLine> lines) {
        List<IrcLine> collector = collecting;
        if (collector != null) {
            collector.addAll(lines); // a labeled command's reply: written with the others, under the label
            return;
        }
        IrcDelivery d = delivery;
        if (d != null) {
            try {
                d.awaitCaughtUp(CATCH_UP_MAX);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                open = false;
                return;
            }
        }
        output.send(lines);
    }

    private void numeric(Numeric numeric, String text, String... params) {
        List<String> all = new ArrayList<>();
        all.add(nickOrStar());
        all.addAll(List.of(params));
        all.add(text);
        reply(IrcLine.of(renderer.serverName(), numeric.code(), all).withTrailing());
    }

    private String nickOrStar() {
        Client c = client;
        return c != null ? IrcNicks.toIrc(c.session().nick()) : "*";
    }

    private void fail(String reason) {
        reply(IrcLine.of(null, "ERROR", "Closing Link: " + address + " (" + reason + ")").withTrailing());
        open = false;
    }

    private void closeSocket() {
        open = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already gone
        }
    }

    /**
     * The end of the connection, on the reader thread: stop delivery, then either end the anonymous
     * session (its nick is free when this returns) or acknowledge what the device was sent.
     */
    private void teardown() {
        open = false;
        try {
            Thread t = deliveryThread;
            if (t != null) {
                t.interrupt();
                t.join(Duration.ofSeconds(5));
            }
            Client c = client;
            if (c != null && !accountConnection && !quitSent) {
                core.logout(c, "Connection closed");
            } else if (c != null && accountConnection && !superseded && clientIsLive()) {
                core.poll(c, delivery.written(), 0, Duration.ZERO);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("IRC connection {}: could not end cleanly: {}", describe(), e.toString());
        } finally {
            closeSocket();
            if (received != null) {
                received.close();
            }
            listener.closed(this);
            done.complete(null);
        }
    }
}
