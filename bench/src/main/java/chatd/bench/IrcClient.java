package chatd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One anonymous IRC client on a plain socket, as a bot would be: NICK/USER, 001, JOIN, then PRIVMSGs,
 * answering the server's PINGs. No IRC library, so the bench sees exactly what goes over the wire and
 * costs the same as any other client. A virtual thread reads every line the server sends and hands
 * channel messages and JOINs to a {@link Listener}; error replies, server notices and an unexpected
 * ERROR or disconnection go into {@link Errors}.
 *
 * <p>Each client connects from its own loopback address (127.1.x.y to 127.0.0.1, still loopback only),
 * as clients on separate hosts would: the gateway admits only a few connections per address.
 */
final class IrcClient implements AutoCloseable {
    /** What a client does with the lines it receives; called on its reader thread. */
    interface Listener {
        /** The text of a PRIVMSG to a channel this client is in. */
        void message(String text, long nowNanos);

        /** Someone (this client too) joined: the nick without its server, {@code bob/beta} → {@code bob}. */
        default void joined(String nick) {}
    }

    static final Listener IGNORE = (text, now) -> {};

    /** 422 (no MOTD) is a normal part of the welcome, not an error. */
    private static final int ERR_NOMOTD = 422;
    private static final AtomicInteger SOURCES = new AtomicInteger();
    /** The network every client's source address is in ({@link #sourceAddress}): what a server may exempt. */
    static final String SOURCE_NETWORK = "127.1.0.0/16";

    final String nick;
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;
    private final Errors errors;
    private final Map<String, CompletableFuture<Void>> joins = new ConcurrentHashMap<>();
    private volatile Listener listener = IGNORE;
    private volatile boolean closing;
    private Thread reader;

    private IrcClient(String nick, Socket socket, Errors errors) throws IOException {
        this.nick = nick;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 65_536);
        this.errors = errors;
    }

    /** Connects to the gateway on 127.0.0.1:{@code port} and registers as {@code nick}; answers after 001. */
    static IrcClient connect(int port, String nick, Listener listener, Errors errors, long timeoutMs) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.bind(new InetSocketAddress(sourceAddress(SOURCES.getAndIncrement()), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeoutMs);
            IrcClient client = new IrcClient(nick, socket, errors);
            client.register(timeoutMs);
            client.listener = listener;
            client.reader = Thread.ofVirtual().name("irc-" + nick).start(client::readLoop);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The {@code n}th client's loopback address: 127.1.0.1, 127.1.0.2, … 127.1.0.250, 127.1.1.1, … */
    static String sourceAddress(int n) {
        return "127.1." + (n / 250 % 250) + "." + (n % 250 + 1);
    }

    private void register(long timeoutMs) throws IOException {
        send("NICK " + nick + "\r\nUSER " + nick + " 0 * :chatd bench\r\n");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IOException(nick + ": no 001 within " + timeoutMs + " ms");
            }
            socket.setSoTimeout((int) left);
            String line;
            try {
                line = in.readLine();
            } catch (SocketTimeoutException e) {
                continue; // the deadline check says so
            }
            if (line == null) {
                throw new IOException(nick + ": the server closed the connection during registration");
            }
            IrcMessage m = IrcMessage.parse(line);
            if (m == null) {
                continue;
            }
            if (m.command().equals("PING")) {
                send("PONG :" + m.last() + "\r\n");
            } else if (m.numeric() == 1) {
                socket.setSoTimeout(0);
                return;
            } else if (m.command().equals("ERROR") || m.numeric() >= 400) {
                throw new IOException(nick + ": registration refused: " + line);
            }
        }
    }

    /** Joins {@code channel} and waits until the server echoes the JOIN back. */
    void join(String channel, long timeoutMs) throws IOException, InterruptedException {
        CompletableFuture<Void> echoed = joins.computeIfAbsent(channel.toLowerCase(Locale.ROOT), k -> new CompletableFuture<>());
        send("JOIN " + channel + "\r\n");
        try {
            echoed.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(nick + ": no JOIN " + channel + " echoed within " + timeoutMs + " ms (errors: " + errors.summary() + ")");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(nick + ": JOIN " + channel + " failed", e.getCause());
        }
    }

    void privmsg(String target, String text) throws IOException {
        send("PRIVMSG " + target + " :" + text + "\r\n");
    }

    private void send(String lines) throws IOException {
        byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
        synchronized (out) { // the reader thread answers PINGs on the same socket
            out.write(bytes);
            out.flush();
        }
    }

    private void readLoop() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                IrcMessage m = IrcMessage.parse(line);
                if (m != null) {
                    handle(m, line, now);
                }
            }
            if (!closing) {
                errors.add("IRC disconnected", nick + ": the server closed the connection");
            }
        } catch (IOException e) {
            if (!closing) {
                errors.add("IRC read", e);
            }
        }
    }

    private void handle(IrcMessage m, String line, long now) throws IOException {
        switch (m.command()) {
            case "PRIVMSG" -> listener.message(m.last(), now);
            case "PING" -> send("PONG :" + m.last() + "\r\n");
            case "JOIN" -> {
                String who = m.localNick();
                if (who == null || m.param(0) == null) {
                    return;
                }
                if (who.equalsIgnoreCase(nick)) {
                    joins.computeIfAbsent(m.param(0).toLowerCase(Locale.ROOT), k -> new CompletableFuture<>()).complete(null);
                }
                listener.joined(who);
            }
            case "NOTICE" -> {
                if (m.fromServer()) {
                    errors.add("IRC server NOTICE", nick + ": " + m.last());
                }
            }
            case "ERROR" -> {
                if (!closing) {
                    errors.add("IRC ERROR", nick + ": " + m.last());
                }
            }
            default -> {
                if (m.numeric() >= 400 && m.numeric() != ERR_NOMOTD) {
                    errors.add("IRC " + m.command(), nick + ": " + line);
                }
            }
        }
    }

    /**
     * Leaves as a client would: QUIT, then waits (at most {@code timeoutMs}) for the server to close the
     * connection, so that the server has ended the session before the bench stops it.
     */
    void quit(long timeoutMs) throws InterruptedException {
        closing = true;
        try {
            send("QUIT :bench done\r\n");
            reader.join(java.time.Duration.ofMillis(timeoutMs));
        } catch (IOException gone) {
            // already closed: nothing to say goodbye to
        } finally {
            close();
        }
    }

    /** Has this side ended the connection (QUIT or close)? */
    boolean closing() {
        return closing;
    }

    /** Drops the connection at once (also ends a write blocked on a full socket). */
    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already closed
        }
    }
}
