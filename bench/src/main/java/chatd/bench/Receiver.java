package chatd.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * One long-polling client: keeps its cursor, and for every benchmark PRIVMSG (body
 * {@code b:<sender>:<seq>:<sentNanos>}) records delivery, duplicates and the POST-to-delivery latency.
 * Runs on its own virtual thread with its own connection.
 */
final class Receiver implements Runnable {
    /** A plain factory: the shared mapper's duplicate-key check is for input the server must distrust. */
    private static final JsonFactory JSON = new JsonFactory();

    final Api.User user;
    private final HttpConn conn;
    private final int pollTimeout;
    private final Histogram latency;
    private final Errors errors;
    private final Map<Integer, BitSet> seen = new HashMap<>();
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile boolean stopping;
    private volatile long delivered;
    private volatile long duplicates;
    private volatile long dropped;
    private volatile long answers;
    private volatile long lastDeliveryNanos;
    long cursor;

    Receiver(Api.User user, HttpConn conn, long cursor, int pollTimeout, Histogram latency, Errors errors) {
        this.user = user;
        this.conn = conn;
        this.cursor = cursor;
        this.pollTimeout = pollTimeout;
        this.latency = latency;
        this.errors = errors;
    }

    /** Latency is recorded for messages sent at or after this instant (warm-up excluded). */
    void measureFrom(long nanos) {
        measureFromNanos = nanos;
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
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("poll answer is not an object");
            }
            long last = cursor;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "messages" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            message(p, now);
                        }
                    }
                    case "last_id" -> last = p.getLongValue();
                    case "dropped" -> dropped += p.getLongValue();
                    default -> {
                        if (t.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                }
            }
            cursor = last;
        }
    }

    private void message(JsonParser p, long now) throws IOException {
        String command = null;
        String text = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("command")) {
                command = p.getText();
            } else if (field.equals("body") && t == JsonToken.START_ARRAY) {
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    text = p.getText();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                }
            } else if (t.isStructStart()) {
                p.skipChildren();
            }
        }
        if ("PRIVMSG".equals(command) && text != null && text.startsWith("b:")) {
            int a = text.indexOf(':', 2);
            int b = text.indexOf(':', a + 1);
            int sender = Integer.parseInt(text, 2, a, 10);
            int seq = Integer.parseInt(text, a + 1, b, 10);
            long sent = Long.parseLong(text, b + 1, text.length(), 10);
            BitSet bits = seen.computeIfAbsent(sender, k -> new BitSet());
            if (bits.get(seq)) {
                duplicates++;
                return;
            }
            bits.set(seq);
            delivered++;
            lastDeliveryNanos = now;
            if (sent >= measureFromNanos) {
                latency.recordNanos(now - sent);
            }
        }
    }

    long delivered() {
        return delivered;
    }

    long duplicates() {
        return duplicates;
    }

    long dropped() {
        return dropped;
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** Acknowledged messages of {@code sender} this receiver has not seen. Read after the receiver settles. */
    synchronized long missing(int sender, BitSet acked) {
        BitSet lost = (BitSet) acked.clone();
        BitSet got = seen.get(sender);
        if (got != null) {
            lost.andNot(got);
        }
        return lost.cardinality();
    }
}
