package chatd.bench;

import java.io.IOException;
import java.util.BitSet;

/**
 * One long-polling client: keeps its cursor, and for every benchmark PRIVMSG (body
 * {@code b:<sender>:<seq>:<sentNanos>}) records delivery, duplicates and the POST-to-delivery latency.
 * Runs on its own virtual thread with its own connection.
 */
final class Receiver implements Runnable {
    final Api.User user;
    private final HttpConn conn;
    private final int pollTimeout;
    private final Deliveries deliveries;
    private final Errors errors;
    private volatile boolean stopping;
    private volatile long dropped;
    private volatile long answers;
    long cursor;

    Receiver(Api.User user, HttpConn conn, long cursor, int pollTimeout, Histogram latency, Errors errors) {
        this.user = user;
        this.conn = conn;
        this.cursor = cursor;
        this.pollTimeout = pollTimeout;
        this.deliveries = new Deliveries(latency);
        this.errors = errors;
    }

    /** Latency is recorded for messages sent at or after this instant (warm-up excluded). */
    void measureFrom(long nanos) {
        deliveries.measureFrom(nanos);
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                HttpConn.Response r = conn.get("/api/v1/messages?after=" + cursor + "&timeout=" + pollTimeout + "&limit=1000", user.token);
                long now = System.nanoTime();
                if (!r.ok()) {
                    if (!stopping) {
                        errors.add("poll", r);
                    }
                    continue;
                }
                parse(r.body(), now);
                answers++;
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    errors.add("poll", e instanceof IOException io ? io : new IOException(e));
                    conn.close();
                }
            }
        }
    }

    /** Successful poll answers, empty ones (timeouts) included. */
    long answers() {
        return answers;
    }

    void stop() {
        stopping = true;
        conn.close();
    }

    private void parse(byte[] body, long now) throws IOException {
        PollAnswer.Result r = PollAnswer.read(body, cursor, (sender, seq, sent) -> deliveries.record(sender, seq, sent, now));
        dropped += r.dropped();
        cursor = r.lastId();
    }

    long delivered() {
        return deliveries.delivered();
    }

    long duplicates() {
        return deliveries.duplicates();
    }

    long dropped() {
        return dropped;
    }

    long lastDeliveryNanos() {
        return deliveries.lastDeliveryNanos();
    }

    /** Acknowledged messages of {@code sender} this receiver has not seen. Read after the receiver settles. */
    long missing(int sender, BitSet acked) {
        return deliveries.missing(sender, acked);
    }
}
