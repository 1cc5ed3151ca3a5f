package chatd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a poll answer, {@code {"messages":[envelope…],"last_id":N,"dropped":K}}, straight from its bytes.
 * Of an envelope the load generator needs only its command and its first body parameter (a benchmark
 * payload {@code b:<sender>:<seq>:<sentNanos>}); everything else is skipped without building tokens or
 * strings. With a general JSON parser this was ~40 % of the load generator's CPU in {@code ingest}, CPU
 * the server on the same 2 cores then lacked. Any JSON is read (strings with escapes, nesting, spaces);
 * what is not JSON of this shape is an {@link IOException}.
 */
final class PollAnswer {
    /** Receives each benchmark PRIVMSG of an answer, in order. */
    interface Sink {
        void message(int sender, int seq, long sentNanos);
    }

    /** The cursor to poll from next and how many entries the server dropped for this client. */
    record Result(long lastId, long dropped) {}

    private static final byte[] MESSAGES = ascii("messages");
    private static final byte[] LAST_ID = ascii("last_id");
    private static final byte[] DROPPED = ascii("dropped");
    private static final byte[] COMMAND = ascii("command");
    private static final byte[] BODY = ascii("body");
    private static final byte[] PRIVMSG = ascii("PRIVMSG");

    private final byte[] b;
    private int at;
    /** The raw bytes (between the quotes) of the last string read. */
    private int from;
    private int to;

    private PollAnswer(byte[] body) {
        this.b = body;
    }

    static Result read(byte[] body, long lastIdIfAbsent, Sink sink) throws IOException {
        try {
            return new PollAnswer(body).answer(lastIdIfAbsent, sink);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("malformed poll answer: " + e.getMessage(), e);
        }
    }

    private Result answer(long lastId, Sink sink) throws IOException {
        long dropped = 0;
        expect('{');
        if (!tryNext('}')) {
            do {
                key();
                if (is(MESSAGES)) {
                    expect('[');
                    if (!tryNext(']')) {
                        do {
                            envelope(sink);
                        } while (listGoesOn(']'));
                    }
                } else if (is(LAST_ID)) {
                    lastId = number();
                } else if (is(DROPPED)) {
                    dropped += number();
                } else {
                    skipValue();
                }
            } while (listGoesOn('}'));
        }
        return new Result(lastId, dropped);
    }

    private void envelope(Sink sink) throws IOException {
        boolean privmsg = false;
        int textFrom = -1;
        int textTo = -1;
        expect('{');
        if (!tryNext('}')) {
            do {
                key();
                if (is(COMMAND) && peek() == '"') {
                    string();
                    privmsg = is(PRIVMSG);
                } else if (is(BODY) && peek() == '[') {
                    expect('[');
                    if (!tryNext(']')) {
                        boolean first = true;
                        do {
                            if (first && peek() == '"') {
                                string();
                                textFrom = from;
                                textTo = to;
                            } else {
                                skipValue();
                            }
                            first = false;
                        } while (listGoesOn(']'));
                    }
                } else {
                    skipValue();
                }
            } while (listGoesOn('}'));
        }
        if (privmsg && textTo - textFrom > 2 && b[textFrom] == 'b' && b[textFrom + 1] == ':') {
            int a = indexOf(':', textFrom + 2, textTo);
            int c = indexOf(':', a + 1, textTo);
            sink.message((int) digits(textFrom + 2, a), (int) digits(a + 1, c), digits(c + 1, textTo));
        }
    }

    /** Reads {@code "name":} leaving the name's raw bytes in from/to. */
    private void key() throws IOException {
        if (peek() != '"') {
            throw error("a key");
        }
        string();
        expect(':');
    }

    /** Reads a string, leaving its raw bytes (escapes as they are) in from/to. */
    private void string() throws IOException {
        if (peek() != '"') {
            throw error("a string");
        }
        from = ++at;
        while (b[at] != '"') {
            at += b[at] == '\\' ? 2 : 1;
        }
        to = at++;
    }

    private long number() throws IOException {
        space();
        int start = at;
        while (at < b.length && (b[at] == '-' || b[at] >= '0' && b[at] <= '9')) {
            at++;
        }
        return digits(start, at);
    }

    private void skipValue() throws IOException {
        byte c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            int depth = 0;
            do {
                c = b[at];
                if (c == '"') {
                    string();
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
                at++;
            } while (depth > 0);
        } else {
            // number, true, false, null
            while (at < b.length && b[at] != ',' && b[at] != '}' && b[at] != ']' && !isSpace(b[at])) {
                at++;
            }
        }
    }

    /** After a list item: true at a comma (another item follows), false at {@code close}. */
    private boolean listGoesOn(char close) throws IOException {
        space();
        if (b[at] == ',') {
            at++;
            space();
            return true;
        }
        expect(close);
        return false;
    }

    private boolean tryNext(char c) {
        space();
        if (b[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws IOException {
        space();
        if (b[at] != c) {
            throw error("'" + c + "'");
        }
        at++;
        space();
    }

    private byte peek() {
        space();
        return b[at];
    }

    private void space() {
        while (at < b.length && isSpace(b[at])) {
            at++;
        }
    }

    private boolean is(byte[] name) {
        return Arrays.equals(b, from, to, name, 0, name.length);
    }

    private int indexOf(char c, int start, int end) throws IOException {
        for (int i = start; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        throw error("':' in a benchmark payload");
    }

    /** A whole number written from {@code start} to {@code end}, in a payload or as a field value. */
    private long digits(int start, int end) throws IOException {
        if (start >= end) {
            throw error("digits");
        }
        boolean negative = b[start] == '-';
        if (negative && ++start == end) {
            throw error("digits");
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw error("digits");
            }
            n = n * 10 + d;
        }
        return negative ? -n : n;
    }

    private IOException error(String wanted) {
        return new IOException("malformed poll answer: expected " + wanted + " at byte " + at);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
