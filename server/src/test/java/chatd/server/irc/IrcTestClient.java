package chatd.server.irc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A raw-socket IRC client for tests: sends lines as typed and records every line received, so tests can
 * wait for a line and then assert on exact text. Reading happens only inside {@link #await}, with a
 * deadline — never a fixed sleep.
 */
final class IrcTestClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final List<String> received = new ArrayList<>();
    private int checked;

    private IrcTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    static IrcTestClient connect(int port) {
        try {
            return new IrcTestClient(new Socket("127.0.0.1", port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IrcTestClient over(Socket socket) {
        try {
            return new IrcTestClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and registers anonymously; waits for the end of the MOTD. */
    static IrcTestClient register(int port, String nick) {
        IrcTestClient c = connect(port);
        c.send("NICK " + nick).send("USER " + nick + " 0 * :" + nick);
        c.await(" 376 " + nick + " ");
        return c;
    }

    IrcTestClient send(String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the lines in one write, as a client that pipelines its commands does. */
    IrcTestClient sendAll(List<String> lines) {
        return send(String.join("\r\n", lines));
    }

    /** Waits for a line containing {@code fragment}, after the last awaited one; answers it. */
    String await(String fragment) {
        return await("a line containing '" + fragment + "'", l -> l.contains(fragment));
    }

    /** Waits for a line matching the whole regex. */
    String awaitMatch(String regex) {
        Pattern p = Pattern.compile(regex);
        return await("a line matching " + regex, l -> p.matcher(l).matches());
    }

    String await(String what, Predicate<String> match) {
        return await(what, match, Duration.ofSeconds(10));
    }

    String await(String what, Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (; checked < received.size(); checked++) {
                if (match.test(received.get(checked))) {
                    return received.get(checked++);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout + "; received:\n  "
                        + String.join("\n  ", received));
            }
            if (!readOne(Duration.ofNanos(left))) {
                throw new AssertionError("connection closed before " + what + "; received:\n  "
                        + String.join("\n  ", received));
            }
        }
    }

    /** The lines from the one matching {@code from} (inclusive) until the one matching {@code to} (inclusive). */
    List<String> awaitBlock(String from, String to) {
        int start = received.size();
        String first = await(from);
        int begin = received.indexOf(first);
        await(to);
        return new ArrayList<>(received.subList(Math.max(begin, start > begin ? begin : begin), checked));
    }

    /** Waits until the server closes the connection; answers the lines received meanwhile. */
    List<String> awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!readOne(Duration.ofNanos(deadline - System.nanoTime()))) {
                return received;
            }
        }
        throw new AssertionError("connection still open after " + timeout + "; received:\n  " + String.join("\n  ", received));
    }

    /** Lines received after the last awaited one, read until nothing comes for {@code quiet}. */
    List<String> drain(Duration quiet) {
        while (readOne(quiet)) {
            // keep reading
        }
        List<String> out = new ArrayList<>(received.subList(checked, received.size()));
        checked = received.size();
        return out;
    }

    List<String> received() {
        return received;
    }

    private boolean readOne(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            String line = in.readLine();
            if (line == null) {
                return false;
            }
            received.add(line);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Drops the TCP connection without QUIT, as a crashed client or a lost network does. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
