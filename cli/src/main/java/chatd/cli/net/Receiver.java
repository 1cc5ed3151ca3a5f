package chatd.cli.net;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.cli.model.ConnectionState;
import chatd.protocol.Envelope;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/**
 * The long-poll loop (SPEC §4), run on its own virtual thread: polls with its cursor, hands every new
 * envelope to the {@link Sink}, and only then moves the cursor on. On a network error it waits
 * ({@link Backoff}) and polls again with the same cursor, so the server re-sends what a lost answer
 * carried: nothing is lost. Ids already delivered are skipped, so nothing is shown twice.
 * A 401 (client gone) ends the loop; {@link #stop()} or an interrupt ends it too. When the server
 * says the cursor is stale (409 {@code cursor_reset}) or that it dropped entries, the loop resumes
 * from the server's cursor and delivers what {@link Backfill} finds in history that it has not shown.
 */
public final class Receiver implements Runnable {
    /** Where polls go; {@link ApiClient} in production. */
    @FunctionalInterface
    public interface Source {
        ApiClient.Poll poll(long after, int timeoutSeconds);
    }

    /** Recent history of every open window, oldest first: fills a gap the queue can no longer fill. */
    @FunctionalInterface
    public interface Backfill {
        List<Envelope> recent();
    }

    /** Where results go; called on the receiver's thread, in order. */
    public interface Sink {
        void deliver(Envelope envelope);

        /** The server dropped {@code count} entries on queue overflow (SPEC §4). */
        void dropped(long count);

        /** The cursor moved; persist it to resume after a restart. */
        void cursor(long cursor);

        /** The link changed state; {@code detail} says why (null when connected). */
        void state(ConnectionState state, String detail);
    }

    private static final int SEEN_IDS = 4096;
    private static final int POLL_SECONDS = 25;

    private final Source source;
    private final Backfill backfill;
    private final Sink sink;
    private final Backoff backoff;
    private final Pause pause;
    private final SequencedSet<String> seen = new LinkedHashSet<>();
    private volatile boolean running = true;
    private volatile long cursor;

    public Receiver(Source source, Backfill backfill, Sink sink, long cursor, Backoff backoff, Pause pause) {
        this.source = source;
        this.backfill = backfill;
        this.sink = sink;
        this.cursor = cursor;
        this.backoff = backoff;
        this.pause = pause;
    }

    public static Receiver of(ApiClient api, Backfill backfill, Sink sink, long cursor) {
        return new Receiver((after, timeout) -> api.poll(after, timeout, 0), backfill, sink, cursor, Backoff.DEFAULT, Pause.REAL);
    }

    public long cursor() {
        return cursor;
    }

    /** Asks the loop to end after the current poll (interrupt its thread to end it sooner). */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        int failures = 0;
        int resets = 0; // stale-cursor answers in a row: a server that keeps answering so is not hammered
        boolean connected = false;
        while (running && !Thread.currentThread().isInterrupted()) {
            ApiClient.Poll poll;
            try {
                poll = source.poll(cursor, POLL_SECONDS);
            } catch (UncheckedIOException e) {
                failures++;
                connected = false;
                if (!waitBeforeRetry(backoff.delay(failures), describe(e))) {
                    return;
                }
                continue;
            } catch (ApiException e) {
                if (e.isCursorReset()) {
                    moveCursor(e.lastId());
                    fillGap();
                    if (resets++ > 0 && !waitBeforeRetry(backoff.delay(resets), "the server reset the cursor again")) {
                        return;
                    }
                    continue;
                }
                if (e.status() == 401) {
                    sink.state(ConnectionState.LOGGED_OUT, "the server no longer knows this client (" + e.getMessage() + ")");
                    return;
                }
                failures++;
                connected = false;
                Duration delay = e.status() == 429 ? retryAfter(e, backoff.delay(failures)) : backoff.delay(failures);
                if (!waitBeforeRetry(delay, e.getMessage())) {
                    return;
                }
                continue;
            } catch (IllegalStateException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // ApiClient turns an interrupt into this, with the flag restored
                }
                throw e;
            }
            resets = 0;
            if (!connected) {
                connected = true;
                failures = 0;
                sink.state(ConnectionState.CONNECTED, null);
            }
            if (poll.dropped() > 0) {
                sink.dropped(poll.dropped());
                fillGap();
            }
            poll.messages().forEach(this::deliverOnce);
            moveCursor(poll.lastId());
        }
    }

    private void deliverOnce(Envelope envelope) {
        if (envelope.id() == null || remember(envelope.id())) {
            sink.deliver(envelope);
        }
    }

    private void moveCursor(long value) {
        if (value != cursor) {
            cursor = value;
            sink.cursor(cursor);
        }
    }

    /** History has what the queue lost; ids already shown are skipped, so nothing appears twice. */
    private void fillGap() {
        try {
            backfill.recent().forEach(this::deliverOnce);
        } catch (ApiException | UncheckedIOException e) {
            // the next poll reports the link state; the gap stays, as the server window said
        }
    }

    private boolean remember(String id) {
        if (!seen.add(id)) {
            return false;
        }
        if (seen.size() > SEEN_IDS) {
            seen.removeFirst();
        }
        return true;
    }

    private boolean waitBeforeRetry(Duration delay, String why) {
        sink.state(ConnectionState.RECONNECTING, why + "; retrying in " + seconds(delay));
        try {
            pause.sleep(delay);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration retryAfter(ApiException e, Duration fallback) {
        try {
            return e.retryAfter() == null ? fallback : Duration.ofSeconds(Long.parseLong(e.retryAfter().trim()));
        } catch (NumberFormatException ignored) {
            return fallback;
        }
    }

    private static String describe(UncheckedIOException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String message = cause.getMessage();
        return "connection lost (" + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message) + ")";
    }

    private static String seconds(Duration delay) {
        return delay.toMillis() < 1000 ? delay.toMillis() + " ms" : delay.toSeconds() + " s";
    }
}
