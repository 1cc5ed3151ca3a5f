package chatd.server.federation;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client this server talks to its peers with: JSON POSTs, signed as this server where the protocol
 * says so, over keep-alive HTTP/1.1 connections of its own ({@link PeerConnection}) kept per peer address
 * (FEDERATION.md, "The peer HTTP client"). Blocking I/O: a request runs on its caller's thread, or on a
 * virtual thread of its own when the caller does not wait.
 */
final class FederationHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FederationHttp.class);
    static final int CONNECT_TIMEOUT_MS = 3_000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Idle connections kept per peer: one per batch in flight, and one for the handshake. */
    static final int IDLE_PER_PEER = PeerSender.IN_FLIGHT + 1;
    /** A connection idle this long is closed, not reused: well below the peer's idle timeout (120 s for chatd). */
    static final long MAX_IDLE_MS = 30_000;

    private record Route(PeerAddress address, String path, Deque<PeerConnection> pool) {}

    /** A peer's answer: what the federation reads of it. */
    record Answer(int status, String body, String retryAfter) {
        /** The Retry-After header in seconds (1 when absent or not a number of seconds). */
        long retryAfterSeconds() {
            try {
                return retryAfter == null ? 1 : Long.parseLong(retryAfter.trim());
            } catch (NumberFormatException e) {
                return 1;
            }
        }
    }

    private final String self;
    private final Signer signer;
    private final Clock clock;
    /** For https peers; null: the JDK's default (its trust store), looked up on the first https request. */
    private final SSLSocketFactory tls;
    /** From the request's start to the end of its answer. */
    private final long requestTimeoutNanos;
    private final Map<PeerAddress, Deque<PeerConnection>> idle = new ConcurrentHashMap<>();
    /** Parsed peer URLs, each with its address's pool: a handful (each peer's relay and link URL). */
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final ThreadFactory requests = Thread.ofVirtual().name("chatd-peer-http").factory();
    private volatile boolean closed;

    FederationHttp(String self, Signer signer, Clock clock) {
        this(self, signer, clock, null, REQUEST_TIMEOUT);
    }

    FederationHttp(String self, Signer signer, Clock clock, SSLSocketFactory tls, Duration requestTimeout) {
        this.self = self;
        this.signer = signer;
        this.clock = clock;
        this.tls = tls;
        this.requestTimeoutNanos = requestTimeout.toNanos();
    }

    /** POSTs JSON and waits; signs it as this server when {@code signedPath} is set. Null on a transport error. */
    Answer post(String url, byte[] body, String signedPath) {
        return post(url, body, headers(body, signedPath));
    }

    /** POSTs signed JSON without waiting (signed now, sent on a virtual thread); the answer is null on a transport error. */
    CompletableFuture<Answer> postAsync(String url, byte[] body, String signedPath) {
        String[] headers = headers(body, signedPath);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        requests.newThread(() -> answer.complete(post(url, body, headers))).start();
        return answer;
    }

    private String[] headers(byte[] body, String signedPath) {
        if (signedPath == null) {
            return new String[0];
        }
        long ts = clock.millis();
        return new String[] {Signer.HEADER_SERVER, self, Signer.HEADER_TS, Long.toString(ts),
            Signer.HEADER_SIG, signer.signRequest("POST", signedPath, ts, body)};
    }

    private Answer post(String url, byte[] body, String[] headers) {
        try {
            return exchange(routes.computeIfAbsent(url, this::route), headers, body);
        } catch (IOException | RuntimeException e) {
            LOG.debug("POST {} failed: {}", url, e.toString());
            return null;
        }
    }

    private Route route(String url) {
        PeerAddress.Target target = PeerAddress.parse(url);
        return new Route(target.address(), target.path(), idle.computeIfAbsent(target.address(), a -> new ArrayDeque<>()));
    }

    /**
     * Sends on an idle connection to the peer, or a new one. A reused connection that fails before any
     * byte of the answer arrived has most likely been closed by the peer while idle (it never saw the
     * request): the request goes once more on a new connection. A relay batch sent twice is harmless (the
     * peer answers a txn it has seen with its first answer).
     */
    private Answer exchange(Route route, String[] headers, byte[] body) throws IOException {
        long deadline = System.nanoTime() + requestTimeoutNanos;
        PeerAddress address = route.address();
        PeerConnection reused = take(route.pool());
        if (reused != null) {
            try {
                return release(route.pool(), reused, reused.post(address, route.path(), headers, body, deadline));
            } catch (IOException | RuntimeException e) {
                reused.close();
                if (!(e instanceof IOException) || e instanceof SocketTimeoutException || reused.answering()) {
                    throw e;
                }
            }
        }
        PeerConnection fresh = PeerConnection.open(address, CONNECT_TIMEOUT_MS, address.tls() ? tls() : null);
        try {
            return release(route.pool(), fresh, fresh.post(address, route.path(), headers, body, deadline));
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private SSLSocketFactory tls() {
        return tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    /** The most recently used idle connection of the pool that is fresh enough, or null. */
    private PeerConnection take(Deque<PeerConnection> pool) {
        long oldest = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MS);
        while (true) {
            PeerConnection c;
            synchronized (pool) {
                c = pool.pollLast();
            }
            if (c == null || c.idleSinceNanos() - oldest > 0) {
                return c;
            }
            c.close();
        }
    }

    private Answer release(Deque<PeerConnection> pool, PeerConnection c, Answer answer) {
        if (!c.reusable() || closed) {
            c.close();
            return answer;
        }
        PeerConnection surplus = null;
        synchronized (pool) {
            pool.addLast(c);
            if (pool.size() > IDLE_PER_PEER) {
                surplus = pool.pollFirst();
            }
        }
        if (surplus != null) {
            surplus.close();
        }
        return answer;
    }

    /** Closes the idle connections; requests in flight close theirs when they end. */
    @Override
    public void close() {
        closed = true;
        for (Deque<PeerConnection> pool : idle.values()) {
            synchronized (pool) {
                pool.forEach(PeerConnection::close);
                pool.clear();
            }
        }
    }

    /** A JSON object answer, or null. */
    static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }
}
