package chatd.bench;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection with blocking I/O, meant for one virtual thread at a time. It is
 * far leaner than java.net.http (no selector thread, no futures), so the load generator spends its CPU
 * on the requests, not on the client machinery. Understands Content-Length and chunked bodies.
 *
 * <p>An exchange has a deadline, enforced by one watchdog thread that closes the connection when it
 * passes, not by a socket read timeout: a timed read on a virtual thread arms and cancels a timer every
 * time, which was a quarter of the load generator's CPU in {@code fanout}.
 */
final class HttpConn implements Closeable {
    private static final Set<HttpConn> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Thread.ofPlatform().daemon().name("http-deadlines").start(HttpConn::enforceDeadlines);
    }

    /** One answer: status and raw body bytes. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String host;
    private final int port;
    private final long timeoutNanos;
    /** When the exchange in progress must have been answered (System.nanoTime); 0 between exchanges. */
    private volatile long deadline;
    private volatile boolean timedOut;
    /** Volatile: the deadline thread closes it too. */
    private volatile Socket socket;
    private InputStream in;
    /** Read buffer: bytes {@code pos} to {@code limit} are received and not yet consumed. */
    private byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private OutputStream out;

    /** {@code timeoutMs}: how long one exchange may take, from sending the request to the end of the answer. */
    HttpConn(URI base, int timeoutMs) {
        this.host = base.getHost();
        this.port = base.getPort();
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    Response get(String path, String token) throws IOException {
        return exchange("GET", path, token, null);
    }

    Response post(String path, String token, String json) throws IOException {
        return exchange("POST", path, token, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one request within this connection's timeout. */
    Response exchange(String method, String path, String token, byte[] body) throws IOException {
        deadline = System.nanoTime() + timeoutNanos | 1;
        try {
            return exchangeOnce(method, path, token, body);
        } catch (IOException e) {
            if (timedOut) {
                throw new SocketTimeoutException(method + " " + path + " not answered within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            throw e;
        } finally {
            deadline = 0;
        }
    }

    /** A stale keep-alive connection (closed before any byte came back) is reopened once for GETs. */
    private Response exchangeOnce(String method, String path, String token, byte[] body) throws IOException {
        boolean fresh = socket == null;
        try {
            return attempt(method, path, token, body);
        } catch (StaleConnection e) {
            close();
            if (fresh || !method.equals("GET")) {
                throw new IOException("connection closed by server before the answer", e);
            }
            return attempt(method, path, token, body);
        }
    }

    private Response attempt(String method, String path, String token, byte[] body) throws IOException {
        if (socket == null) {
            open();
        }
        StringBuilder head = new StringBuilder(160);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            out.write(h);
        } else {
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            out.write(all);
        }
        out.flush();
        String status = readLine(true);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        String line;
        while (!(line = readLine(false)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            }
        }
        byte[] payload;
        if (chunked) {
            payload = readChunked();
        } else if (length >= 0) {
            payload = readBytes((int) length);
            if (payload.length != length) {
                throw new EOFException("body cut short");
            }
        } else {
            payload = readToEnd();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(code, payload);
    }

    private void open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 10_000);
        socket = s;
        timedOut = false;
        OPEN.add(this);
        in = s.getInputStream();
        pos = limit = 0;
        out = s.getOutputStream();
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(false);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!readLine(false).isEmpty()) {
                    // trailers
                }
                return buf.toByteArray();
            }
            byte[] chunk = readBytes(n);
            if (chunk.length != n) {
                throw new EOFException("chunk cut short");
            }
            buf.write(chunk);
            readLine(false);
        }
    }

    /** A header line without its CRLF, scanned in the read buffer rather than byte by byte. */
    private String readLine(boolean first) throws IOException {
        int from = pos;
        while (true) {
            for (int i = from; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return line;
                }
            }
            from = limit - pos;
            if (!fill()) {
                if (first && limit == pos) {
                    throw new StaleConnection();
                }
                throw new EOFException("connection closed mid-answer");
            }
            from += pos;
        }
    }

    /** Reads more after what is buffered (moving it to the front first); false at end of stream. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    /** Exactly {@code n} bytes (fewer only at end of stream): the buffered ones first. */
    private byte[] readBytes(int n) throws IOException {
        byte[] out = new byte[n];
        int buffered = Math.min(n, limit - pos);
        System.arraycopy(buf, pos, out, 0, buffered);
        pos += buffered;
        int got = buffered + in.readNBytes(out, buffered, n - buffered);
        return got == n ? out : java.util.Arrays.copyOf(out, got);
    }

    private byte[] readToEnd() throws IOException {
        byte[] rest = in.readAllBytes();
        byte[] out = new byte[limit - pos + rest.length];
        System.arraycopy(buf, pos, out, 0, limit - pos);
        System.arraycopy(rest, 0, out, limit - pos, rest.length);
        pos = limit;
        return out;
    }

    @Override
    public void close() {
        OPEN.remove(this);
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Closes, once a second, every connection whose exchange is past its deadline; its reader then fails. */
    private static void enforceDeadlines() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (HttpConn c : OPEN) {
                long d = c.deadline;
                if (d != 0 && now - d > 0) {
                    c.timedOut = true;
                    c.close();
                }
            }
        }
    }

    /** The server closed an idle keep-alive connection before this request. */
    private static final class StaleConnection extends IOException {
        StaleConnection() {
            super("stale keep-alive connection");
        }
    }
}
