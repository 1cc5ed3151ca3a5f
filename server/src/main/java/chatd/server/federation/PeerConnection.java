package chatd.server.federation;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One keep-alive HTTP/1.1 connection to a peer, used by one request at a time (FEDERATION.md, "The peer
 * HTTP client"): blocking I/O, a request with a Content-Length body, an answer with a Content-Length or a
 * chunked body (Jetty sends either). Only what the federation reads is kept of the answer: status, body
 * and Retry-After.
 */
final class PeerConnection implements AutoCloseable {
    /** An answer larger than this is not a federation answer: the connection is dropped. */
    static final int MAX_ANSWER = 4 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int lim;
    private boolean reusable = true;
    /** Whether a byte of the current answer arrived: before that, a reused connection may simply have gone stale. */
    private boolean answering;
    private long idleSinceNanos;

    private PeerConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects (and for https, shakes hands with default trust and host name checking) within {@code timeoutMillis}. */
    static PeerConnection open(PeerAddress to, int timeoutMillis, SSLSocketFactory tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(to.host(), to.port()), timeoutMillis);
            if (!to.tls()) {
                return new PeerConnection(plain);
            }
            SSLSocket s = (SSLSocket) tls.createSocket(plain, to.host(), to.port(), true);
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            s.setSoTimeout(timeoutMillis);
            s.startHandshake();
            return new PeerConnection(s);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Whether the connection may carry another request: the last answer was read whole and not "Connection: close". */
    boolean reusable() {
        return reusable && !socket.isClosed();
    }

    boolean answering() {
        return answering;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    /**
     * POSTs {@code body} with the given extra headers (name, value pairs) and reads the answer whole, by
     * {@code deadlineNanos} ({@link System#nanoTime}). Any failure leaves the connection unusable.
     */
    FederationHttp.Answer post(PeerAddress to, String path, String[] headers, byte[] body, long deadlineNanos)
            throws IOException {
        reusable = false;
        answering = false;
        StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(to.hostHeader()).append("\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        if (headBytes.length + body.length <= 16384) {
            byte[] all = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(body, 0, all, headBytes.length, body.length);
            out.write(all);
        } else {
            out.write(headBytes);
            out.write(body);
        }
        out.flush();
        FederationHttp.Answer answer = readAnswer(deadlineNanos);
        idleSinceNanos = System.nanoTime();
        return answer;
    }

    private FederationHttp.Answer readAnswer(long deadline) throws IOException {
        while (true) {
            String statusLine = line(deadline);
            answering = true;
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x answer: " + statusLine);
            }
            int status = parseStatus(statusLine);
            boolean keepAlive = statusLine.charAt(7) == '1';
            long length = -1;
            boolean chunked = false;
            String retryAfter = null;
            for (String h = line(deadline); !h.isEmpty(); h = line(deadline)) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("bad header line: " + h);
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = parseLength(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    keepAlive = keepAlive && !value.equalsIgnoreCase("close");
                } else if (name.equalsIgnoreCase("Retry-After")) {
                    retryAfter = value;
                }
            }
            if (status < 200) {
                continue; // an interim answer (100 Continue): the real one follows
            }
            byte[] content;
            if (status == 204 || status == 304) {
                content = new byte[0];
            } else if (chunked) {
                content = chunked(deadline);
            } else if (length >= 0) {
                content = exactly((int) length, deadline);
            } else {
                content = untilClosed(deadline);
                keepAlive = false;
            }
            reusable = keepAlive;
            return new FederationHttp.Answer(status, new String(content, StandardCharsets.UTF_8), retryAfter);
        }
    }

    private static int parseStatus(String statusLine) throws IOException {
        try {
            return Integer.parseInt(statusLine, 9, 12, 10);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + statusLine);
        }
    }

    private static long parseLength(String value) throws IOException {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > MAX_ANSWER) {
                throw new IOException("answer length " + value + " out of bounds");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + value);
        }
    }

    private byte[] chunked(long deadline) throws IOException {
        byte[] content = new byte[0];
        while (true) {
            String sizeLine = line(deadline);
            int semi = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                while (!line(deadline).isEmpty()) {
                    // trailers: none that the federation reads
                }
                return content;
            }
            if (size < 0 || content.length + (long) size > MAX_ANSWER) {
                throw new IOException("answer larger than " + MAX_ANSWER + " bytes");
            }
            byte[] chunk = exactly(size, deadline);
            byte[] joined = Arrays.copyOf(content, content.length + size);
            System.arraycopy(chunk, 0, joined, content.length, size);
            content = joined;
            if (!line(deadline).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private byte[] exactly(int n, long deadline) throws IOException {
        byte[] content = new byte[n];
        int got = 0;
        while (got < n) {
            if (pos == lim && !fill(deadline)) {
                throw new EOFException("connection closed in the answer's body");
            }
            int take = Math.min(n - got, lim - pos);
            System.arraycopy(buf, pos, content, got, take);
            pos += take;
            got += take;
        }
        return content;
    }

    private byte[] untilClosed(long deadline) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        while (pos < lim || fill(deadline)) {
            if (content.size() + (lim - pos) > MAX_ANSWER) {
                throw new IOException("answer larger than " + MAX_ANSWER + " bytes");
            }
            content.write(buf, pos, lim - pos);
            pos = lim;
        }
        return content.toByteArray();
    }

    /** One header line without its CRLF (a bare LF is accepted too). */
    private String line(long deadline) throws IOException {
        StringBuilder sb = null;
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    if (sb == null) {
                        return part;
                    }
                    String whole = sb.append(part).toString();
                    return whole.endsWith("\r") ? whole.substring(0, whole.length() - 1) : whole;
                }
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(new String(buf, pos, lim - pos, StandardCharsets.ISO_8859_1));
            pos = lim;
            if (sb.length() > 8192) {
                throw new IOException("header line too long");
            }
            if (!fill(deadline)) {
                throw new EOFException("connection closed before the answer was complete");
            }
        }
    }

    /** Reads more into the buffer, waiting no later than the deadline; false at end of stream. */
    private boolean fill(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    @Override
    public void close() {
        reusable = false;
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
