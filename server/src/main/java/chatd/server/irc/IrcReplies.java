package chatd.server.irc;

import chatd.protocol.Numeric;
import chatd.server.core.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines a connection's reader answers itself (numerics, CAP, PONG, ERROR), kept in command order
 * with the replies that travel through the client's queue, or gathered under a label while a labeled
 * command runs. Reader thread only.
 */
final class IrcReplies {
    /** How long a reader's own reply waits for the delivery of earlier ones before going anyway. */
    private static final Duration CATCH_UP_MAX = Duration.ofSeconds(5);

    private final IrcConnection connection;
    private final String serverName;
    /** While a labeled command runs: where the reader's own replies go. */
    private List<IrcLine> collecting;

    IrcReplies(IrcConnection connection, String serverName) {
        this.connection = connection;
        this.serverName = serverName;
    }

    /**
     * A line the reader answers itself. Once registered, replies to earlier commands travel through the
     * client's queue: this waits until those commands are committed ({@link InFlightCommits}) and their
     * replies written, so the connection's replies keep command order.
     */
    void send(IrcLine line) {
        send(List.of(line));
    }

    /** Several lines the reader answers itself, written together (a batch is never interleaved). */
    void send(List<IrcLine> lines) {
        List<IrcLine> collector = collecting;
        if (collector != null) {
            collector.addAll(lines); // a labeled command's reply: written with the others, under the label
            return;
        }
        if (catchUp()) {
            connection.output().send(lines);
        }
    }

    /**
     * Waits until the commands before are committed ({@link InFlightCommits}, reporting a failure among them)
     * and their replies written. Answers false when the reader was interrupted meanwhile (it stops). Nothing
     * to wait for while a labeled command runs: delivery is held for it, with the earlier replies written.
     */
    boolean catchUp() {
        if (collecting != null) {
            return true;
        }
        connection.commits().settle();
        IrcDelivery d = connection.delivery();
        if (d != null) {
            try {
                d.awaitCaughtUp(CATCH_UP_MAX);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connection.stopReading();
                return false;
            }
        }
        return true;
    }

    /** Runs {@code command} with the reader's own replies gathered into {@code into} instead of written. */
    void collect(List<IrcLine> into, Runnable command) {
        collecting = into;
        try {
            command.run();
        } finally {
            collecting = null;
        }
    }

    void numeric(Numeric numeric, String text, String... params) {
        List<String> all = new ArrayList<>();
        all.add(nickOrStar());
        all.addAll(List.of(params));
        all.add(text);
        send(IrcLine.of(serverName, numeric.code(), all).withTrailing());
    }

    IrcLine serverNotice(String text) {
        return IrcLine.of(serverName, "NOTICE", nickOrStar(), text).withTrailing();
    }

    /** ERROR, then the reader stops: the connection closes. */
    void fail(String reason) {
        send(IrcLine.of(null, "ERROR", "Closing Link: " + connection.address() + " (" + reason + ")").withTrailing());
        connection.stopReading();
    }

    String nickOrStar() {
        Client c = connection.client();
        return c != null ? IrcNicks.toIrc(c.session().nick()) : "*";
    }
}
