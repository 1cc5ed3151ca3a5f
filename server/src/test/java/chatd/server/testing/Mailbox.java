package chatd.server.testing;

import chatd.cli.api.ApiClient;
import chatd.protocol.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one client has received: polls the server with its cursor, as a real client does, and keeps
 * every envelope in order so tests can wait for and assert on what the user saw.
 */
public final class Mailbox {
    private final ApiClient api;
    private final List<Envelope> received = new ArrayList<>();
    private long cursor;
    /** Where {@link #next} continues: envelopes before it have been consumed by earlier expectations. */
    private int mark;

    public Mailbox(ApiClient api) {
        this.api = api;
    }

    public ApiClient api() {
        return api;
    }

    public long cursor() {
        return cursor;
    }

    public List<Envelope> received() {
        return received;
    }

    /** Polls until an envelope matching {@code match} arrives (or fails after 10 s); answers it. */
    public Envelope await(String what, Predicate<Envelope> match) {
        return await(what, match, Duration.ofSeconds(10));
    }

    public Envelope await(String what, Predicate<Envelope> match, Duration timeout) {
        return find(what, match, timeout, 0);
    }

    /**
     * Like {@link #await} but only among envelopes after the previous {@code next} match, so repeated
     * expectations of the same numeric each need a new one.
     */
    public Envelope next(String what, Predicate<Envelope> match) {
        Envelope found = find(what, match, Duration.ofSeconds(10), mark);
        mark = received.indexOf(found) + 1;
        return found;
    }

    private Envelope find(String what, Predicate<Envelope> match, Duration timeout, int from) {
        int checked = from;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (; checked < received.size(); checked++) {
                if (match.test(received.get(checked))) {
                    return received.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + timeout + "; received: " + summary());
            }
            poll((int) Math.max(1, Math.min(5, Duration.ofNanos(left).toSeconds())));
        }
    }

    /** The next numeric with this code (e.g. "433"), waited for and answered. */
    public Envelope awaitNumeric(String code) {
        return next("numeric " + code, e -> e.command().equals(code));
    }

    /** Takes whatever is queued now, without waiting. */
    public List<Envelope> drain() {
        int before = received.size();
        while (poll(0) > 0) {
            // keep reading until the queue is empty
        }
        mark = received.size();
        return new ArrayList<>(received.subList(before, received.size()));
    }

    /** One poll; answers how many envelopes it brought. */
    public int poll(int timeoutSeconds) {
        ApiClient.Poll p = api.poll(cursor, timeoutSeconds, 1000);
        received.addAll(p.messages());
        cursor = p.lastId();
        return p.messages().size();
    }

    public String summary() {
        StringBuilder s = new StringBuilder();
        for (Envelope e : received) {
            s.append("\n  ").append(e.command()).append(' ').append(e.from()).append(" -> ").append(e.to())
                    .append(' ').append(e.params()).append(' ').append(e.body());
        }
        return s.toString();
    }

    public static Predicate<Envelope> command(String command, String to) {
        return e -> e.command().equals(command) && (to == null || to.equalsIgnoreCase(e.to()));
    }

    public static Predicate<Envelope> text(String text) {
        return e -> e.bodyLines().contains(text);
    }
}
