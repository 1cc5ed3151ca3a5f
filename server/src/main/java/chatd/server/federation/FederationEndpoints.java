package chatd.server.federation;

import chatd.protocol.Json;
import chatd.server.core.ChatError;
import chatd.server.http.AdminToken;
import chatd.server.http.HttpApi;
import chatd.server.http.RateLimiter;
import chatd.server.http.RequestBodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The federation routes (SPEC §7.1–7.4). Every request passes the cheap checks first — a token bucket
 * per source address, the policy, the headers, the clock skew, the body size — before any MAC or
 * signature is computed; authenticated relay requests then also pass a bucket per peer. Refusals are
 * {@code {"error","code"}} with the status of SPEC §1 (429 carries Retry-After).
 */
public final class FederationEndpoints implements HttpApi.Module {
    static final int LINK_PER_MINUTE = 60;
    /**
     * Relay requests an address may make that are refused (not signed by a linked peer, too large, ...):
     * an address past it is answered 429 before its body is read. A linked peer's signed requests do not
     * count here but against {@link #RELAY_PER_MINUTE_PER_PEER}.
     */
    static final int RELAY_PER_MINUTE_PER_ADDRESS = 6000;
    /**
     * A peer's sender posts what is queued as soon as no batch is in flight (none waits on a timer), so
     * against a fast peer a trickle of events makes a request per few milliseconds; its own pipeline
     * (at most two batches in flight) bounds it, and under load each request carries more. This only
     * stops a peer gone wrong.
     */
    static final int RELAY_PER_MINUTE_PER_PEER = 120_000;
    static final int STATUS_PER_MINUTE = 300;
    static final int MAX_BODY = 900_000;
    static final int MAX_EVENTS = 500;
    /** How long a pipelined batch waits for the one before it (under the sender's 15 s request timeout). */
    static final long ORDER_WAIT_MS = 10_000;
    private static final int TXN_MEMORY = 10_000;

    private final Federation federation;
    private final AdminToken admin;
    private final RateLimiter linkLimit = RateLimiter.perMinute(LINK_PER_MINUTE);
    private final RateLimiter relayByAddress = RateLimiter.perMinute(RELAY_PER_MINUTE_PER_ADDRESS);
    private final RateLimiter relayByPeer = RateLimiter.perMinute(RELAY_PER_MINUTE_PER_PEER);
    private final RateLimiter statusLimit = RateLimiter.perMinute(STATUS_PER_MINUTE);
    private final RelayOrder order = new RelayOrder();
    /** Relay requests with events taken in, and their events: a metric (events per batch says how the peers batch). */
    private final LongAdder relayBatches = new LongAdder();
    private final LongAdder relayEvents = new LongAdder();
    /**
     * (peer, txn) → the answer given, as sent: a repeated txn is answered as before. Kept as bytes, one
     * object per batch that the collector does not look into, rather than a tree of nodes and strings.
     */
    private final Map<String, byte[]> answered = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > TXN_MEMORY;
                }
            });

    public FederationEndpoints(Federation federation, AdminToken admin) {
        this.federation = federation;
        this.admin = admin;
    }

    @Override
    public void routes(HttpApi api) {
        api.post("/api/v1/federation/link", this::link);
        api.direct(new RelayRoute(this, api.metrics()));
        api.get("/api/v1/federation/status", this::status);
        api.post("/api/v1/federation/links", this::addLink);
        api.delete("/api/v1/federation/links/{name}", this::removeLink);
    }

    // ---------------------------------------------------------------- link

    private void link(Context ctx) {
        throttle(ctx, linkLimit, "link:" + ctx.ip());
        requireEnabled();
        JsonNode m = smallJson(ctx, 8192);
        String step = FederationRelay.text(m, "step");
        String server = FederationRelay.text(m, "server");
        if (server == null || !Federation.validName(server)) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "field 'server' must be a server name");
        }
        long now = System.currentTimeMillis();
        if (!m.path("ts").canConvertToLong() || !LinkHandshake.fresh(m.path("ts").asLong(), now)) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "timestamp missing or outside ±5 minutes");
        }
        try {
            if ("confirm".equals(step)) {
                confirm(ctx, m, server, now);
            } else if ("hello".equals(step)) {
                hello(ctx, m, server, now);
            } else {
                throw new ChatError(ChatError.Kind.INVALID_REQUEST, "field 'step' must be hello or confirm");
            }
        } catch (Conflict c) {
            HttpApi.json(ctx, 409, Federation.error("conflict", c.getMessage()));
        }
    }

    private void hello(Context ctx, JsonNode m, String server, long now) {
        String nonce = FederationRelay.text(m, "nonce");
        String url = FederationRelay.text(m, "url");
        String publicKey = FederationRelay.text(m, "key");
        if (nonce == null || nonce.length() < 16 || nonce.length() > 100 || url == null
                || !(url.startsWith("http://") || url.startsWith("https://")) || publicKey == null) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "hello needs server, url, key, nonce, ts and mac");
        }
        try {
            chatd.protocol.Ed25519.decodeKey(publicKey);
        } catch (IllegalArgumentException e) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "key is not an Ed25519 public key");
        }
        if (server.equals(federation.self())) {
            conflict(server);
        }
        PeerLink link = federation.linkFor(server);
        if (link == null && !federation.policy().equals("open")) {
            throw new ChatError(ChatError.Kind.FORBIDDEN, "server " + server + " is not on this server's allowlist");
        }
        String shared = link != null && link.linkKey() != null && !link.linkKey().isEmpty() ? link.linkKey()
                : federation.sharedKey();
        if (shared.isEmpty()) {
            throw new ChatError(ChatError.Kind.FORBIDDEN, "no shared key is configured for " + server);
        }
        byte[] key = LinkHandshake.keyBytes(shared);
        if (!LinkHandshake.verifyMac(m, key)) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "the MAC does not prove the shared key");
        }
        if (!federation.handshake().firstUse(nonce, now)) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "replayed nonce");
        }
        if (link == null && federation.network().conflicts(server, publicKey)) {
            conflict(server);
        }
        Network.Server known = federation.network().get(server);
        if (link != null && known != null && (known.via() != null || link.state() == PeerLink.State.UP)
                && federation.network().conflicts(server, publicKey)) {
            conflict(server);
        }
        String mine = LinkHandshake.nonce();
        String peerUrl = link != null ? link.url() : url;
        federation.handshake().expect(mine, new LinkHandshake.Pending(server, peerUrl, publicKey, nonce, key, now));
        HttpApi.json(ctx, 200, LinkHandshake.answer(federation.self(), federation.signer().publicKey(), mine, nonce,
                System.currentTimeMillis(), key));
    }

    private void confirm(Context ctx, JsonNode m, String server, long now) {
        String nonce = FederationRelay.text(m, "nonce");
        LinkHandshake.Pending p = nonce == null ? null : federation.handshake().take(nonce, server, now);
        if (p == null || !p.dialerNonce().equals(FederationRelay.text(m, "peer_nonce")) || !LinkHandshake.verifyMac(m, p.sharedKey())) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "confirm does not answer a pending challenge");
        }
        federation.linkUp(server, p.url(), p.publicKey());
        HttpApi.json(ctx, 200, Map.of("status", "up", "server", federation.self()));
    }

    private static void conflict(String server) {
        throw new Conflict("server name " + server + " is already present in the network");
    }

    // ---------------------------------------------------------------- relay

    /** A relay request whose signature was checked: the linked peer that sent it and its body. */
    private record Signed(String server, PeerLink link, byte[] body) {}

    /** What a relay request brings: where from, its signature headers, and its body (read once checked). */
    record RelayRequest(String address, String server, String ts, String sig, long length, InputStream body) {}

    /**
     * Takes a linked peer's batch of events in (SPEC §7.4); answers what became of each, as JSON (see
     * {@link RelayRoute}).
     */
    byte[] relay(RelayRequest request) {
        String address = "relay:" + request.address();
        long wait = relayByAddress.peek(address);
        if (wait > 0) {
            throw ChatError.rateLimited("too many refused requests; retry in " + wait + " s", wait);
        }
        Signed signed;
        try {
            signed = signed(request);
        } catch (ChatError e) {
            relayByAddress.acquire(address); // refused requests count against their address
            throw e;
        }
        String server = signed.server();
        PeerLink link = signed.link();
        byte[] body = signed.body();
        long peerWait = relayByPeer.acquire("peer:" + server);
        if (peerWait > 0) {
            throw ChatError.rateLimited("too many requests; retry in " + peerWait + " s", peerWait);
        }
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "malformed JSON");
        }
        String txn = m == null ? null : FederationRelay.text(m, "txn");
        JsonNode events = m == null ? null : m.get("events");
        if (txn == null || txn.length() > 200 || events == null || !events.isArray()) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "relay body is {txn, events[]}");
        }
        if (events.size() > MAX_EVENTS) {
            throw new ChatError(ChatError.Kind.TOO_LARGE, "at most " + MAX_EVENTS + " events per batch");
        }
        link.seen();
        String memo = server + " " + txn;
        byte[] before = answered.get(memo);
        if (before != null) {
            return before;
        }
        String run = FederationRelay.text(m, "run");
        long last = m.path("last").asLong();
        awaitTurn(server, run, m.get("prev"));
        if (!events.isEmpty()) {
            relayBatches.increment();
            relayEvents.add(events.size());
        }
        Inbound.Result result = federation.inbound().apply(server, events, () -> {
            if (run != null) {
                order.applied(server, run, last);
            }
        });
        link.refused(result.rejected().size());
        byte[] answer = Json.writeBytes(result.json().put("txn", txn));
        if (!events.isEmpty()) {
            answered.put(memo, answer);
        }
        return answer;
    }

    /** Checks that the request comes from a linked peer and is signed by it; reads its body. */
    private Signed signed(RelayRequest request) {
        requireEnabled();
        String server = request.server();
        String ts = request.ts();
        String sig = request.sig();
        if (server == null || ts == null || sig == null) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "relay requests must be signed by a linked server");
        }
        long tsMillis;
        try {
            tsMillis = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "bad timestamp");
        }
        if (!LinkHandshake.fresh(tsMillis, System.currentTimeMillis())) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "timestamp outside ±5 minutes");
        }
        PeerLink link = federation.linkFor(server);
        byte[] key = federation.network().key(server);
        if (link == null || key == null || (federation.network().get(server).via() != null)) {
            throw new ChatError(ChatError.Kind.FORBIDDEN, server + " is not a linked peer of this server");
        }
        if (request.length() > MAX_BODY) {
            throw new ChatError(ChatError.Kind.TOO_LARGE, "relay body larger than " + MAX_BODY + " bytes");
        }
        byte[] body = readBody(request.body());
        if (body.length > MAX_BODY) {
            throw new ChatError(ChatError.Kind.TOO_LARGE, "relay body larger than " + MAX_BODY + " bytes");
        }
        if (!Signer.verifyRequest(key, "POST", "/api/v1/federation/relay", tsMillis, body, sig)) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "bad request signature");
        }
        return new Signed(server, link, body);
    }

    /** A pipelined batch (it names the batch before it) waits until that one is applied. */
    private void awaitTurn(String server, String run, JsonNode prev) {
        if (run == null || prev == null || !prev.canConvertToLong()) {
            return;
        }
        try {
            if (order.awaitTurn(server, run, prev.asLong(), ORDER_WAIT_MS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ChatError(ChatError.Kind.UNAVAILABLE, "the batch before this one (up to " + prev.asLong() + ") has not arrived");
    }

    // ---------------------------------------------------------------- status and admin

    private void status(Context ctx) {
        throttle(ctx, statusLimit, "status:" + ctx.ip());
        requireEnabled();
        HttpApi.json(ctx, 200, federation.status());
    }

    private void addLink(Context ctx) {
        throttle(ctx, linkLimit, "admin:" + ctx.ip());
        requireAdmin(ctx);
        requireEnabled();
        JsonNode m = smallJson(ctx, 8192);
        String name = FederationRelay.text(m, "name");
        String url = FederationRelay.text(m, "url");
        String key = FederationRelay.text(m, "key");
        if (name == null || !Federation.validName(name) || name.equals(federation.self())) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "'name' must be another server's name");
        }
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "'url' must be an http(s) URL");
        }
        federation.addLink(name, url, key);
        HttpApi.json(ctx, 201, Map.of("name", name, "url", url, "status", "dialling"));
    }

    private void removeLink(Context ctx) {
        throttle(ctx, linkLimit, "admin:" + ctx.ip());
        requireAdmin(ctx);
        String name = ctx.pathParam("name");
        if (!federation.removeLink(name)) {
            throw new ChatError(ChatError.Kind.NOT_FOUND, "no link named " + name);
        }
        HttpApi.json(ctx, 200, Map.of("status", "ok"));
    }

    /** Relay requests with events received so far. */
    public long relayBatches() {
        return relayBatches.sum();
    }

    /** Events received in relay requests so far. */
    public long relayEvents() {
        return relayEvents.sum();
    }

    private void requireAdmin(Context ctx) {
        admin.require(ctx);
    }

    // ---------------------------------------------------------------- plumbing

    private void requireEnabled() {
        if (!federation.enabled()) {
            throw new ChatError(ChatError.Kind.FORBIDDEN, "federation is disabled on this server");
        }
    }

    private static void throttle(Context ctx, RateLimiter limiter, String key) {
        long wait = limiter.acquire(key);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ChatError(ChatError.Kind.RATE_LIMITED, "too many requests; retry in " + wait + " s");
        }
    }

    private static JsonNode smallJson(Context ctx, int max) {
        if (ctx.contentLength() > max) {
            throw new ChatError(ChatError.Kind.TOO_LARGE, "body larger than " + max + " bytes");
        }
        byte[] body = readBody(ctx.bodyInputStream());
        if (body.length > max) {
            throw new ChatError(ChatError.Kind.TOO_LARGE, "body larger than " + max + " bytes");
        }
        return RequestBodies.jsonObject(body);
    }

    private static byte[] readBody(InputStream in) {
        try {
            return in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "unreadable body");
        }
    }

    /** 409: a server name already present in the network. */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    static Set<String> paths() {
        return Set.of("/api/v1/federation/link", "/api/v1/federation/relay", "/api/v1/federation/status",
                "/api/v1/federation/links");
    }
}
