package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.protocol.Numeric;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.Client;
import chatd.server.core.Views;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IRC client connection: the reader loop and the dispatch of its commands, run on its own virtual
 * thread; delivery runs on a second one ({@link IrcDelivery}).
 *
 * <p>Two kinds of connection (SPEC §10). Without credentials, NICK/USER create an anonymous session
 * that <em>is</em> this connection: when the socket closes, with or without QUIT, the session ends at
 * once. With PASS or SASL PLAIN the connection is one device of the account's session: when it drops
 * (or QUITs, as clients do on exit) the session lives on and the device's queue keeps filling, to be
 * replayed on the next connection with the same account and device, like a bouncer.
 *
 * <p>Everything after registration is mapped onto the core's commands ({@link IrcInbound}); only what is
 * transport-level is answered here: PING/PONG, QUIT, and, through its parts, CAP ({@link CapNegotiation}),
 * AUTHENTICATE ({@link SaslLogin}), PASS/NICK/USER ({@link IrcRegistration}), flood control ({@link Fakelag}).
 */
final class IrcConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IrcConnection.class);
    /** Targets of one PRIVMSG, NOTICE or KICK, as ISUPPORT TARGMAX says (the core's limit). */
    private static final int TARGMAX = 4;
    private static final Set<String> MULTI_TARGET = Set.of("PRIVMSG", "NOTICE", "KICK");
    /** Once registered, what the reader handles itself; every other command goes to the core. */
    private static final Set<String> ANSWERED_HERE = Set.of("CAP", "AUTHENTICATE", "PASS", "USER", "PING", "PONG", "QUIT",
            "CHATHISTORY");

    private final IrcListener listener;
    private final ChatCore core;
    private final Socket socket;
    private final String address;
    private final IrcOptions options;
    private final String serverName;
    private final LabeledReplies labels;
    private final Fakelag fakelag;
    private final IrcReplies replies;
    private final CapNegotiation caps;
    private final SaslLogin sasl;
    private final IrcRegistration registration;
    private final OwnMessages own;
    private final IrcChatHistory chatHistory;
    private final InFlightCommits commits = new InFlightCommits(this::chatError);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private IrcOutput output;
    private ReceiveQueue received;

    private volatile Client client;
    /** Its connection class, null until registration decides (unless its address is exempt). */
    private volatile ConnectionClass connectionClass;
    private volatile boolean accountConnection;
    private volatile boolean open = true;
    private volatile boolean quitSent;
    private volatile boolean superseded;
    private volatile Thread deliveryThread;
    private volatile IrcDelivery delivery;

    IrcConnection(IrcListener listener, ChatCore core, Socket socket, IrcOptions options, ConnectionClass admittedAs) {
        this.listener = listener;
        this.core = core;
        this.socket = socket;
        this.address = socket.getInetAddress().getHostAddress();
        this.options = options;
        this.serverName = core.state().serverName();
        this.labels = new LabeledReplies(serverName);
        this.connectionClass = admittedAs;
        this.fakelag = new Fakelag(address + ":" + socket.getPort(), listener.flood(admittedAs));
        this.replies = new IrcReplies(this, serverName);
        this.caps = new CapNegotiation(replies, serverName, this::capEnded);
        this.sasl = new SaslLogin(listener, replies, address, serverName);
        this.registration = new IrcRegistration(this, listener, core, replies, caps, sasl);
        this.own = new OwnMessages(this, core, listener.rendered(), caps);
        this.chatHistory = new IrcChatHistory(core, listener.rendered().renderer());
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

    ConnectionClass connectionClass() {
        return connectionClass;
    }

    /**
     * Registration moves the connection into its class (null: back to unregistered): from then on its
     * lines count against that class's limit. False, and nothing changes, when the class is full for this address.
     */
    boolean joinClass(ConnectionClass cls) {
        if (!listener.moveClass(address, connectionClass, cls)) {
            return false;
        }
        connectionClass = cls;
        fakelag.switchTo(listener.flood(cls));
        return true;
    }

    IrcDelivery delivery() {
        return delivery;
    }

    /** The commits of this connection's commands that the reader has not waited for yet. */
    InFlightCommits commits() {
        return commits;
    }

    /** The reader ends after the current line. */
    void stopReading() {
        open = false;
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
            LineReader reader = new LineReader(socket.getInputStream(), IrcLine.MAX_TAG_BYTES + IrcLine.MAX_MESSAGE_BYTES);
            received = ReceiveQueue.start(reader, "irc-recv-" + address);
            long registrationDeadline = System.nanoTime() + options.registrationTimeout().toNanos();
            boolean pingSent = false;
            while (open) {
                LineReader.Line line;
                try {
                    line = received.next(readTimeoutMillis(registrationDeadline));
                } catch (SocketTimeoutException e) {
                    if (!commits.isEmpty()) {
                        commits.settle(); // one is due: its failure is reported now, not at the next line
                        continue;
                    }
                    if (client == null) {
                        if (System.nanoTime() >= registrationDeadline) {
                            replies.fail("Registration timed out");
                            return;
                        }
                        continue;
                    }
                    if (pingSent) {
                        replies.fail("Ping timeout: " + options.pingInterval().multipliedBy(2).toSeconds() + " seconds");
                        return;
                    }
                    output.send(IrcLine.of(null, "PING", serverName));
                    pingSent = true;
                    continue;
                }
                if (line == null) {
                    return;
                }
                pingSent = false;
                if (line.tooLong()) {
                    replies.numeric(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
                    continue;
                }
                if (!line.utf8() && client != null) {
                    IrcLine parsed = IrcLine.parse(line.text());
                    replies.send(IrcLine.of(serverName, "FAIL", parsed == null ? "*" : parsed.command(), "INVALID_UTF8",
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

    private long readTimeoutMillis(long registrationDeadline) {
        if (client != null) {
            return Math.min(commits.millisUntilDue(), Math.max(1, options.pingInterval().toMillis()));
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(registrationDeadline - System.nanoTime()));
    }

    private void handleRaw(String text) {
        int space = text.startsWith("@") ? text.indexOf(' ') : -1;
        String message = space >= 0 ? text.substring(space + 1) : text;
        if (message.getBytes(StandardCharsets.UTF_8).length + 2 > IrcLine.MAX_MESSAGE_BYTES
                || (space >= 0 && space - 1 > IrcLine.MAX_CLIENT_TAG_BYTES)) {
            replies.numeric(Numeric.ERR_INPUTTOOLONG, "Input line was too long");
            return;
        }
        IrcLine line = IrcLine.parse(text);
        if (line == null) {
            return;
        }
        if (!fakelag.admit(received)) {
            open = false;
            return;
        }
        String label = caps.has(IrcCaps.LABELED_RESPONSE) ? line.tags().get("label") : null;
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
     * The commands before it are settled first (a failure among them is not this label's), and the command
     * itself is waited for, so a failure to commit it is answered under its label.
     */
    private void handleLabeled(IrcDelivery d, IrcLine line, String label) {
        commits.settle();
        List<IrcLine> direct = new ArrayList<>();
        try {
            d.runLabeled(() -> replies.collect(direct, () -> {
                handleReporting(line);
                commits.settle();
            }), queued -> {
                List<IrcLine> all = new ArrayList<>(queued);
                all.addAll(direct);
                return labels.wrap(label, all, caps.has(IrcCaps.BATCH));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    /**
     * Commands the core answers are submitted without waiting for their commit ({@link #execute}); every
     * other line first waits for the commands before it to be committed and their replies written, so what
     * it does (QUIT, a CAP change) or reads (CHATHISTORY) follows them.
     */
    private void handle(IrcLine line) {
        if (client != null && !ANSWERED_HERE.contains(line.command())) {
            execute(line);
            return;
        }
        if (!replies.catchUp()) {
            return;
        }
        switch (line.command()) {
            case "CAP" -> caps.handle(line, client != null);
            case "AUTHENTICATE" -> sasl.authenticate(line, client != null);
            case "PASS" -> registration.pass(line);
            case "USER" -> registration.user(line);
            case "NICK" -> registration.nick(line);
            case "PING" -> {
                if (line.params().isEmpty()) {
                    replies.numeric(Numeric.ERR_NOORIGIN, "No origin specified");
                } else {
                    replies.send(IrcLine.of(serverName, "PONG", serverName, line.last()).withTrailing());
                }
            }
            case "PONG" -> { }
            case "QUIT" -> quit(line.params().isEmpty() ? null : line.param(0));
            default -> {
                if (client == null) {
                    replies.numeric(Numeric.ERR_NOTREGISTERED, "You have not registered");
                } else { // CHATHISTORY, read from the store once the commands before it are committed
                    replies.send(chatHistory.answer(client, line, caps.enabled()));
                }
            }
        }
    }

    private void capEnded() {
        registration.tryRegister();
    }

    /** Registration succeeded: the connection serves this client from now on. */
    void start(ChatCore.Attached attached, boolean account) {
        accountConnection = account;
        client = attached.client();
        core.identify(client, IrcCredentials.userPart(registration.userName()), registration.realName());
        listener.registered(this);
        IrcDelivery d = new IrcDelivery(core, this, attached, listener.decoded());
        delivery = d;
        deliveryThread = Thread.ofVirtual().name("irc-out-" + client.session().nick()).start(d);
    }

    // ---------------------------------------------------------------- registered commands

    /**
     * A registered command for the core, submitted without waiting for its commit: the reader goes on to
     * the next line while it commits ({@link InFlightCommits}). Its replies come through the client's queue
     * after the commit, in order; a refusal by the rules is thrown here and answered at once.
     */
    private void execute(IrcLine line) {
        if (line.command().equals("JOIN") && "0".equals(line.param(0))) {
            partAll();
            return;
        }
        List<Envelope> envelopes = IrcInbound.translate(line);
        if (envelopes.size() > TARGMAX && MULTI_TARGET.contains(line.command())) {
            if (!line.command().equals("NOTICE")) { // NOTICE is never answered
                replies.numeric(Numeric.ERR_TOOMANYTARGETS, "Too many targets, at most " + TARGMAX, line.param(0));
            }
            return;
        }
        for (Envelope e : envelopes) {
            if (e.id() != null) {
                own.sending(e.id());
            }
            commits.add(core.submitOnce(client, e));
        }
    }

    /** {@code JOIN 0} (RFC 2812 §3.2.1): part every channel. */
    private void partAll() {
        List<Views.JoinedChannel> channels = core.stateOf(client).channels();
        if (!channels.isEmpty()) {
            String names = String.join(",", channels.stream().map(Views.JoinedChannel::name).toList());
            commits.add(core.submitOnce(client, Envelope.of("PART", null, names, List.of(), null)));
        }
    }

    private void quit(String reason) {
        Client c = client;
        if (c != null && !accountConnection) {
            quitSent = true;
            core.execute(c, Envelope.of("QUIT", null, null, List.of(), reason == null ? null : List.of(reason)));
        }
        String why = reason == null ? "Client Quit" : "Quit: " + reason;
        replies.send(IrcLine.of(null, "ERROR", "Closing Link: " + address + " (" + why + ")").withTrailing());
        open = false;
    }

    private void chatError(ChatError e) {
        if (e.kind() == ChatError.Kind.UNAUTHORIZED) {
            replies.fail("Your session has ended");
        } else {
            replies.send(replies.serverNotice(e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- delivery hooks

    /** The lines for one delivered envelope; this connection's own messages are skipped without echo-message. */
    List<IrcLine> linesFor(Envelope e) {
        return own.linesFor(e);
    }

    /** A message this user sent to their own nick. */
    boolean toSelf(Envelope e) {
        return own.toSelf(e);
    }

    /** Whether this connection sent the message (its echo is a reply to the sender). */
    boolean sentHere(Envelope e) {
        return own.sentHere(e);
    }

    IrcLine serverNotice(String text) {
        return replies.serverNotice(text);
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
