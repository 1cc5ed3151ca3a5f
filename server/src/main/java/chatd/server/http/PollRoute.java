package chatd.server.http;

import chatd.protocol.Json;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.Client;
import chatd.server.core.CursorReset;
import chatd.server.core.Inbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/messages}, the long-poll (SPEC §4), answered on Jetty's own handler API in front of
 * the servlet stack: the request registers a waiter with the inbox and returns, and whoever brings the
 * answer writes it without blocking (Jetty finishes a large one when the socket drains). Later answers
 * all come on the core's poll timer thread, so a waiting poll holds no thread, and a commit's answers
 * go out in one tight loop instead of queueing a task per answer ahead of the requests the thread pool
 * is serving (measured: fanout delivery p50 91 → 30 ms, send acks 89 → 17 ms on a loaded 2-core
 * machine). It is most of the requests a chat server gets.
 */
final class PollRoute extends DirectRoute {
    private static final int DEFAULT_TIMEOUT = 15;
    private static final int MAX_TIMEOUT = 60;
    private static final byte[] HEAD = "{\"messages\":[".getBytes(StandardCharsets.US_ASCII);

    private static final Runnable ANSWERED = () -> { };

    private final HttpApi api;
    private final ChatCore core;
    private HangupWatcher hangups;
    private final HttpMetrics metrics;

    PollRoute(HttpApi api, ChatCore core, HttpMetrics metrics) {
        super(metrics, MESSAGES);
        this.api = api;
        this.core = core;
        this.metrics = metrics;
    }

    @Override
    protected void doStart() throws Exception {
        hangups = new HangupWatcher();
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        hangups.close();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"GET".equals(request.getMethod()) || !here(request)) {
            return super.handle(request, response, callback);
        }
        long start = System.nanoTime();
        try {
            Client client = api.client(request.getHeaders().get(HttpHeader.AUTHORIZATION), request.getConnectionMetaData());
            QueryParams query = new QueryParams(request.getHttpURI().getQuery());
            long after = query.number("after", 0, 0, Long.MAX_VALUE);
            long timeout = Math.clamp(query.number("timeout", DEFAULT_TIMEOUT, Long.MIN_VALUE, Long.MAX_VALUE), 0, MAX_TIMEOUT);
            int limit = (int) query.number("limit", MessageEndpoints.DEFAULT_LIMIT, 1, MessageEndpoints.MAX_LIMIT);
            AtomicReference<Runnable> unwatch = new AtomicReference<>();
            Inbox.Waiter waiter = core.poll(client, after, limit, Duration.ofSeconds(timeout), batch -> {
                Runnable watching = unwatch.getAndSet(ANSWERED);
                if (watching != null) {
                    watching.run();
                }
                metrics.delivered(batch.entries().size(), batch.dropped());
                if (watching != null && !batch.entries().isEmpty()) {
                    // A waiting poll answered by the commit (or a hot client's spacing): the newest entry's
                    // age is the server's push latency. Answers at once (a client that was away) are left
                    // out: their age is the client's absence, not the server's delay.
                    metrics.pushed(stampAge(batch.entries().getLast().json()));
                }
                answer(request, response, callback, 200, body(batch), start);
            });
            if (unwatch.get() == null) {
                // Waiting: a client that hangs up meanwhile leaves no waiter behind until its timeout.
                Runnable watching = hangups.watch(request, () -> {
                    if (core.abandon(client, waiter)) {
                        callback.failed(new EofException("the client hung up"));
                    }
                });
                if (!unwatch.compareAndSet(null, watching)) {
                    watching.run();
                }
            }
        } catch (ChatError e) {
            refuse(request, response, callback, e, start);
        } catch (CursorReset e) {
            answer(request, response, callback, 409, Json.writeBytes(Map.of("error", e.getMessage(), "code", "cursor_reset",
                    "last_id", e.lastId())), start);
        }
        return true;
    }

    private static final byte[] TS = "\"ts\":\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * Milliseconds since the envelope's {@code ts} (stamped when the command was accepted), or -1 when it
     * has none: read from the stored bytes, where {@code ts} comes right after {@code id}, in the one
     * form the server writes ({@code 2026-01-02T03:04:05.678Z}), by its digits: a formatter's parse cost
     * 3 % of the server's CPU in the fan-out benchmark, where every answer is measured.
     */
    static long stampAge(byte[] json) {
        int end = Math.min(json.length - TS.length, 96);
        for (int i = 0; i < end; i++) {
            if (json[i] == '"' && Arrays.equals(json, i, i + TS.length, TS, 0, TS.length)) {
                long millis = epochMillis(json, i + TS.length);
                return millis < 0 ? -1 : System.currentTimeMillis() - millis;
            }
        }
        return -1;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (or {@code ...:ssZ}, as {@code Instant.toString} writes a whole
     * second) at {@code at} as epoch milliseconds, or -1 when it is not that.
     */
    static long epochMillis(byte[] b, int at) {
        if (!shaped(b, at, SECONDS)) {
            return -1;
        }
        int month = digits(b, at + 5, 2);
        int day = digits(b, at + 8, 2);
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return -1;
        }
        int end = at + SECONDS.length();
        int millis;
        if (shaped(b, end, ".999Z")) {
            millis = digits(b, end + 1, 3);
        } else if (shaped(b, end, "Z")) {
            millis = 0;
        } else {
            return -1;
        }
        long days = LocalDate.of(digits(b, at, 4), month, 1).toEpochDay() + day - 1;
        return ((days * 24 + digits(b, at + 11, 2)) * 60 + digits(b, at + 14, 2)) * 60_000
                + digits(b, at + 17, 2) * 1000L + millis;
    }

    private static final String SECONDS = "9999-99-99T99:99:99";

    /** Whether the bytes at {@code at} have this shape ('9' a digit, anything else itself). */
    private static boolean shaped(byte[] b, int at, String shape) {
        if (at + shape.length() > b.length) {
            return false;
        }
        for (int i = 0; i < shape.length(); i++) {
            char want = shape.charAt(i);
            byte c = b[at + i];
            if (want == '9' ? c < '0' || c > '9' : c != want) {
                return false;
            }
        }
        return true;
    }

    private static int digits(byte[] b, int at, int count) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n = n * 10 + (b[at + i] - '0');
        }
        return n;
    }

    /** The stored envelope bytes as they are (serialised once, shared by every recipient), copied once. */
    static byte[] body(Inbox.Batch batch) {
        List<Inbox.Entry> entries = batch.entries();
        byte[] tail = ("],\"last_id\":" + batch.lastSeq() + (batch.dropped() > 0 ? ",\"dropped\":" + batch.dropped() : "") + "}")
                .getBytes(StandardCharsets.US_ASCII);
        int size = HEAD.length + Math.max(0, entries.size() - 1) + tail.length;
        for (Inbox.Entry e : entries) {
            size += e.json().length;
        }
        byte[] out = new byte[size];
        System.arraycopy(HEAD, 0, out, 0, HEAD.length);
        int at = HEAD.length;
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] json = entries.get(i).json();
            System.arraycopy(json, 0, out, at, json.length);
            at += json.length;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }
}
