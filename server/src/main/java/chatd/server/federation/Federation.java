package chatd.server.federation;

import chatd.protocol.Ed25519;
import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.protocol.Names;
import chatd.server.ServerConfig;
import chatd.server.core.ChatCore;
import chatd.server.core.Channel;
import chatd.server.core.Membership;
import chatd.server.core.RemoteEvents;
import chatd.server.core.RemoteUser;
import chatd.server.core.Session;
import chatd.server.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-to-server federation (SPEC §7): owns the links, the server key, the network map, dedup and
 * the outbox, and is the {@link PeerLink.Transport} of every peer's sender. Wired by {@code ChatServer}:
 * {@link #create} installs the outbound relay into the core, {@link #restore} (after the core restored
 * its state, before serving) puts back links, keys and remote members, {@link #start} (once listening)
 * dials the configured peers, {@link #stop} stops the senders.
 *
 * <p>{@code FEDERATION_POLICY=disabled} makes this a null object for the core ({@code Relay.NONE}
 * stays installed) and the endpoints answer 403.
 */
public final class Federation implements PeerLink.Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    /** As many events as the receiver takes in one request ({@link FederationEndpoints#MAX_EVENTS}). */
    static final int BATCH_EVENTS = FederationEndpoints.MAX_EVENTS;
    /** Batches a peer may have in flight: the next is verified there while the one before commits. */
    static final int IN_FLIGHT = 2;
    /**
     * A batch follows one still in flight only when this many rows wait: every request costs the peer a
     * signature check, a commit and a wake-up of its pollers, so a trickle waits for the answer instead.
     */
    static final int PIPELINE_MIN = 50;
    /**
     * The least time between two relay requests to a peer unless a full batch waits. Without it a fast
     * peer answering in a few milliseconds drew a request per handful of events, above the receiver's
     * {@link FederationEndpoints#RELAY_PER_MINUTE_PER_PEER} once its bucket ran dry; the 429's Retry-After
     * then stalled the link for a second at a time (A→B p99 over 1 s at 2,000 msgs/s).
     */
    static final long SEND_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(15);
    /** In chars: a char is at most 3 UTF-8 bytes, and the txn and framing fit in the rest of the body limit. */
    static final int BATCH_CHARS = (FederationEndpoints.MAX_BODY - 4096) / 3;

    private final ServerConfig config;
    private final ChatCore core;
    private final FederationStore store;
    private final String self;
    private final Signer signer;
    private final Network network;
    private final Dedup dedup;
    private final LinkHandshake handshake = new LinkHandshake();
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
    private final AtomicLong outboxSeq = new AtomicLong();
    private final FederationRelay relay;
    private final Inbound inbound;
    private final RemoteEvents remote;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chatd-federation").daemon(true).factory());
    /** Last presence announced per local session, for idle/online propagation. */
    private final Map<Long, String> announced = new HashMap<>();
    private volatile boolean running;
    /**
     * Names this run in batch txns: outbox seqs start again from the highest queued one after a restart,
     * so without it a drained outbox would reuse a txn the peer already answered (and the peer would
     * answer the old result without applying the new events).
     */
    private final String boot = UUID.randomUUID().toString().substring(0, 8);

    private Federation(ServerConfig config, Database database, ChatCore core) {
        this.config = config;
        this.core = core;
        this.store = new FederationStore(database);
        this.self = config.serverName();
        this.signer = new Signer(store.identity(System.currentTimeMillis()));
        this.network = new Network(self);
        this.dedup = new Dedup(InstantSource.system(), Duration.ofDays(3), 500_000);
        this.remote = new RemoteEvents(core.state());
        this.relay = new FederationRelay(core.state(), signer, network, links, outboxSeq);
        this.inbound = new Inbound(core, remote, relay, network, dedup);
        if (enabled()) {
            core.state().relay(relay);
        }
    }

    public static Federation create(ServerConfig config, Database database, ChatCore core) {
        return new Federation(config, database, core);
    }

    public boolean enabled() {
        return config.federation().enabled();
    }

    String policy() {
        return config.federation().policy();
    }

    String sharedKey() {
        return config.federation().key();
    }

    String self() {
        return self;
    }

    Signer signer() {
        return signer;
    }

    Network network() {
        return network;
    }

    Map<String, PeerLink> links() {
        return links;
    }

    LinkHandshake handshake() {
        return handshake;
    }

    Inbound inbound() {
        return inbound;
    }

    /**
     * Loads links, keys, the dedup window and the remote members stored at the last run (before the
     * server serves: a message sent right after a restart already reaches them). The remote users are
     * unreachable until their server's link is up again.
     */
    public void restore() {
        long now = System.currentTimeMillis();
        outboxSeq.set(store.maxOutboxSeq());
        store.servers().forEach((name, row) -> network.learn(name, row[0], row[1]));
        store.loadSeen(dedup.cutoffMillis(), dedup::restore);
        for (Map.Entry<String, String> peer : config.federation().peers().entrySet()) {
            store.saveLink(peer.getKey(), peer.getValue(), null, null, now);
        }
        for (FederationStore.LinkRow row : store.links().values()) {
            if (row.publicKey() != null) {
                network.learn(row.name(), row.publicKey(), null);
            }
            links.put(row.name(), new PeerLink(row.name(), row.url(), row.linkKey(), this));
        }
        MemberLedger.Loaded stored = store.loadLedger();
        core.transact(changes -> {
            relay.ledger.restore(changes, remote, stored);
            remote.dropEmptyChannels(changes);
            relay.ledger.sync(changes);
            return null;
        });
    }

    /** Dials the peers (unless disabled); call after {@link #restore} once the server is listening. */
    public void start() {
        if (!enabled()) {
            LOG.info("federation disabled");
            return;
        }
        running = true;
        links.values().forEach(PeerLink::start);
        timer.scheduleWithFixedDelay(this::announcePresence, 10, 10, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> store.pruneSeen(dedup.cutoffMillis()), 1, 60, TimeUnit.MINUTES);
        LOG.info("federation {} as {} ({} peers, key {}, Ed25519 by {})", config.federation().policy(), self, links.size(), signer.publicKey(), Ed25519.backend());
        List<String> stored = links.keySet().stream().filter(n -> !config.federation().peers().containsKey(n)).sorted().toList();
        if (!stored.isEmpty()) {
            // Links live in the database (FEDERATION_PEERS, the admin API, the open policy): say where the
            // peers dialled beyond FEDERATION_PEERS come from, and how to stop dialling one.
            LOG.info("federation: also dialling {} (stored links, not in FEDERATION_PEERS); remove one with "
                    + "curl -X DELETE -H 'Authorization: Bearer $ADMIN_TOKEN' {}/api/v1/federation/links/<name>",
                    String.join(", ", stored), config.http().publicUrl());
        }
    }

    public void stop() {
        running = false;
        timer.shutdownNow();
        links.values().forEach(PeerLink::stop);
    }

    // ---------------------------------------------------------------- dialling (PeerLink.Transport)

    @Override
    public boolean dial(PeerLink link) {
        if (!running) {
            return false;
        }
        String key = link.linkKey() != null && !link.linkKey().isEmpty() ? link.linkKey() : config.federation().key();
        if (key.isEmpty()) {
            LOG.warn("link {}: no shared key (set FEDERATION_KEY or give the link a key)", link.name());
            return false;
        }
        byte[] k = LinkHandshake.keyBytes(key);
        String nonce = LinkHandshake.nonce();
        long now = System.currentTimeMillis();
        ObjectNode hello = LinkHandshake.hello(self, config.http().publicUrl(), signer.publicKey(), nonce, now, k);
        HttpResponse<String> r = post(link.url() + "/api/v1/federation/link", Json.write(hello).getBytes(StandardCharsets.UTF_8), null);
        if (r == null) {
            return false;
        }
        if (r.statusCode() != 200) {
            noteRefusal(link, "hello", r);
            return false;
        }
        JsonNode answer = parse(r.body());
        if (answer == null || !link.name().equals(FederationRelay.text(answer, "server"))
                || !nonce.equals(FederationRelay.text(answer, "peer_nonce"))
                || !LinkHandshake.fresh(answer.path("ts").asLong(), System.currentTimeMillis())
                || !LinkHandshake.verifyMac(answer, k)) {
            LOG.warn("link {}: the answer to our hello does not prove the shared key (or names another server)", link.name());
            return false;
        }
        String theirKey = FederationRelay.text(answer, "key");
        String theirNonce = FederationRelay.text(answer, "nonce");
        if (theirNonce == null || !handshake.firstUse(theirNonce, now)) {
            LOG.warn("link {}: replayed answer", link.name());
            return false;
        }
        // The answer proves the peer holds the key: accept its relays from now on. It marks the link up as
        // soon as our confirm arrives and may send before we have read its reply to the confirm.
        String name = link.name();
        core.transact(changes -> {
            if (network.learn(name, theirKey, null)) {
                changes.persist(FederationStore.saveServer(name, theirKey, null, changes.nowMillis()));
            }
            return null;
        });
        ObjectNode confirm = LinkHandshake.confirm(self, theirNonce, nonce, System.currentTimeMillis(), k);
        HttpResponse<String> c = post(link.url() + "/api/v1/federation/link", Json.write(confirm).getBytes(StandardCharsets.UTF_8), null);
        if (c == null) {
            return false;
        }
        if (c.statusCode() != 200) {
            noteRefusal(link, "confirm", c);
            return false;
        }
        linkUp(link.name(), link.url(), theirKey);
        return true;
    }

    private void noteRefusal(PeerLink link, String step, HttpResponse<String> r) {
        if (r.statusCode() == 429) {
            link.retryAfter(r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
        }
        LOG.warn("link {}: {} refused with {} {}", link.name(), step, r.statusCode(), r.body());
    }

    /**
     * The link is authenticated (we dialled, or the peer's confirm arrived): remember its key, mark its
     * users reachable, introduce it to the other peers and queue our burst for it.
     */
    void linkUp(String name, String url, String publicKey) {
        store.saveLink(name, url, null, publicKey, System.currentTimeMillis());
        PeerLink link = links.computeIfAbsent(name, n -> {
            PeerLink l = new PeerLink(n, url, null, this);
            if (running) {
                l.start();
            }
            return l;
        });
        core.transact(changes -> {
            if (network.learn(name, publicKey, null)) {
                changes.persist(FederationStore.saveServer(name, publicKey, null, changes.nowMillis()));
            }
            remote.reachable(network.behind(name), true);
            Envelope intro = new Envelope(null, changes.nowTs(), "SERVER", self, "*", List.of(), null, self, null);
            ObjectNode body = Json.MAPPER.createObjectNode().put("name", name).put("key", publicKey);
            List<String> others = new ArrayList<>(relay.allPeers());
            others.remove(name);
            relay.emit(changes, new Envelope(UUID.randomUUID().toString(), intro.ts(), "SERVER", self, "*", List.of(), body, self, null),
                    null, others);
            relay.emit(changes, new Envelope(UUID.randomUUID().toString(), changes.nowTs(), "BURST", self, "*", List.of(),
                    relay.burst(changes.nowMillis()), self, null), null, List.of(name));
            return null;
        });
        link.up();
    }

    @Override
    public void linkDown(PeerLink link) {
        core.transact(changes -> {
            remote.reachable(network.behind(link.name()), false);
            return null;
        });
    }

    // ---------------------------------------------------------------- sending (PeerLink.Transport)

    /**
     * Drives the peer's pipeline: sends batches while fewer than {@link #IN_FLIGHT} are in flight and enough
     * rows wait (each naming the one before it, so the peer applies them in order), then handles the oldest
     * one's answer once it is in, acknowledging in order. Waits (woken by new rows or an answer) when there
     * is nothing to do; an empty batch goes out as a heartbeat when nothing happened for a while.
     */
    @Override
    public PeerLink.Outcome sendNext(PeerLink link) {
        Deque<PeerLink.Batch> inFlight = link.inFlight();
        while (inFlight.size() < IN_FLIGHT) {
            PeerLink.Batch previous = inFlight.peekLast();
            List<FederationStore.OutboxRow> rows = nextRows(link, previous == null ? link.acked() : previous.last());
            if (rows.isEmpty() || (previous != null && rows.size() < PIPELINE_MIN)) {
                break;
            }
            long early = link.sentNanos() + SEND_SPACING_NANOS - System.nanoTime();
            if (early > 0 && rows.size() < BATCH_EVENTS) {
                if (previous == null) {
                    link.linger(early); // more rows gather meanwhile; an answer cannot come, none is in flight
                    return PeerLink.Outcome.WAITING;
                }
                break;
            }
            link.sent(System.nanoTime());
            inFlight.add(send(link, rows, previous));
        }
        PeerLink.Batch head = inFlight.peekFirst();
        if (head != null && head.answer().isDone()) {
            inFlight.removeFirst();
            return answered(link, head, head.answer().join());
        }
        try {
            if (link.idle() || head != null) {
                return PeerLink.Outcome.WAITING;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PeerLink.Outcome.FAILED;
        }
        PeerLink.Batch heartbeat = send(link, List.of(), null);
        return answered(link, heartbeat, heartbeat.answer().join());
    }

    /** The rows after {@code after}: from memory, or from the store when memory may lack some. */
    private List<FederationStore.OutboxRow> nextRows(PeerLink link, long after) {
        List<FederationStore.OutboxRow> rows = link.tail().after(after, BATCH_EVENTS);
        return rows != null ? rows : store.peek(link.name(), after, BATCH_EVENTS);
    }

    /** Posts a batch (empty: a heartbeat) without waiting; the answer wakes the sender. */
    private PeerLink.Batch send(PeerLink link, List<FederationStore.OutboxRow> rows, PeerLink.Batch previous) {
        StringBuilder events = new StringBuilder("[");
        long last = 0;
        int n = 0;
        for (FederationStore.OutboxRow row : rows) {
            if (n > 0 && events.length() + row.event().length() > BATCH_CHARS) {
                break;
            }
            events.append(n++ == 0 ? "" : ",").append(row.event());
            last = row.seq();
        }
        events.append(']');
        ObjectNode head = Json.MAPPER.createObjectNode();
        if (n == 0) {
            head.put("txn", "hb-" + UUID.randomUUID());
        } else {
            head.put("txn", self + "-" + boot + "-" + rows.getFirst().seq() + "-" + last).put("run", boot).put("last", last);
            if (previous != null) {
                head.put("prev", previous.last());
            }
        }
        // The events are JSON already (signed once, stored as text): spliced in, not parsed again.
        String json = Json.write(head);
        byte[] body = (json.substring(0, json.length() - 1) + ",\"events\":" + events + "}").getBytes(StandardCharsets.UTF_8);
        CompletableFuture<HttpResponse<String>> answer = http
                .sendAsync(request(link.url() + "/api/v1/federation/relay", body, "/api/v1/federation/relay"),
                        HttpResponse.BodyHandlers.ofString())
                .exceptionally(e -> {
                    LOG.debug("relay to {} failed: {}", link.name(), e.toString());
                    return null;
                });
        answer.whenComplete((r, e) -> link.wake());
        return new PeerLink.Batch(last, answer);
    }

    /** Handles the answer to the oldest batch in flight (null: a transport error). */
    private PeerLink.Outcome answered(PeerLink link, PeerLink.Batch batch, HttpResponse<String> r) {
        if (r == null) {
            return PeerLink.Outcome.FAILED;
        }
        switch (r.statusCode()) {
            case 200 -> {
                if (batch.last() > 0) {
                    link.acked(batch.last());
                    core.persistLater(FederationStore.ack(link.name(), batch.last()));
                    JsonNode answer = parse(r.body());
                    if (answer != null && !answer.path("rejected").isEmpty()) {
                        LOG.warn("link {}: peer rejected {}", link.name(), answer.path("rejected"));
                    }
                }
                return PeerLink.Outcome.DELIVERED;
            }
            case 429 -> {
                link.retryAfter(r.headers().firstValue("Retry-After").map(Federation::seconds).orElse(1L));
                return PeerLink.Outcome.THROTTLED;
            }
            default -> {
                LOG.warn("link {}: relay answered {} {}", link.name(), r.statusCode(), r.body());
                return r.statusCode() >= 500 ? PeerLink.Outcome.FAILED : PeerLink.Outcome.REFUSED;
            }
        }
    }

    private static long seconds(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** POSTs JSON; signs it as this server when {@code signedPath} is set. Null on a transport error. */
    private HttpResponse<String> post(String url, byte[] body, String signedPath) {
        try {
            return http.send(request(url, body, signedPath), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("POST {} failed: {}", url, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpRequest request(String url, byte[] body, String signedPath) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signedPath != null) {
            long ts = System.currentTimeMillis();
            b.header(Signer.HEADER_SERVER, self).header(Signer.HEADER_TS, Long.toString(ts))
                    .header(Signer.HEADER_SIG, signer.signRequest("POST", signedPath, ts, body));
        }
        return b.build();
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- admin and status

    /** Adds or updates a link at run time and dials it. */
    void addLink(String name, String url, String key) {
        store.saveLink(name, url, key, null, System.currentTimeMillis());
        PeerLink link = links.get(name);
        if (link == null) {
            link = new PeerLink(name, url, key, this);
            PeerLink raced = links.putIfAbsent(name, link);
            if (raced == null && running) {
                link.start();
            }
            link = raced == null ? link : raced;
        }
        link.url(url);
        if (key != null) {
            link.linkKey(key);
        }
        link.wake();
    }

    /** Removes a link: its sender stops and its queue is dropped. False when there was none. */
    boolean removeLink(String name) {
        PeerLink link = links.remove(name);
        store.deleteLink(name);
        if (link == null) {
            return false;
        }
        link.stop();
        core.transact(changes -> {
            remote.reachable(network.behind(name), false);
            return null;
        });
        return true;
    }

    /** Under the open policy a server that proved FEDERATION_KEY becomes a link. */
    PeerLink linkFor(String name) {
        return links.get(name);
    }

    public ObjectNode status() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("server", self);
        out.put("policy", config.federation().policy());
        Map<String, Long> queued = store.queued();
        var peers = out.putArray("peers");
        List<PeerLink> sorted = new ArrayList<>(links.values());
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        for (PeerLink l : sorted) {
            ObjectNode p = peers.addObject();
            p.put("name", l.name());
            p.put("url", l.url());
            p.put("state", enabled() ? l.state().wire() : "down");
            p.put("since", l.sinceText());
            if (l.lastSeenMillis() > 0) {
                p.put("last_seen", Instant.ofEpochMilli(l.lastSeenMillis()).toString());
            } else {
                p.putNull("last_seen");
            }
            p.put("queued", queued.getOrDefault(l.name(), 0L));
            p.put("refused", l.refusedTotal());
        }
        return out;
    }

    // ---------------------------------------------------------------- presence

    /** Announces online ↔ idle changes of local users who share a channel with remote users. */
    private void announcePresence() {
        try {
            core.transact(changes -> {
                long now = changes.nowMillis();
                for (Session s : List.copyOf(core.state().sessions())) {
                    if (!sharesWithRemote(s)) {
                        continue;
                    }
                    String presence = s.presence(now);
                    String before = announced.put(s.id(), presence);
                    if (before != null && !before.equals(presence) && !presence.equals("away") && !before.equals("away")) {
                        Envelope e = new Envelope(UUID.randomUUID().toString(), changes.nowTs(), "PRESENCE",
                                s.nick() + "@" + self, null, List.of(), Envelope.lines(List.of(presence)), self, null);
                        relay.emit(changes, e, null, relay.allPeers());
                    }
                }
                announced.keySet().removeIf(id -> core.state().sessionById(id) == null);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("presence announcement failed: {}", e.toString());
        }
    }

    private static boolean sharesWithRemote(Session s) {
        for (Channel c : s.channels()) {
            for (Membership m : c.members()) {
                if (m.member() instanceof RemoteUser) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean validName(String name) {
        return Names.isValidServer(name);
    }

    static Set<String> commandsFlooded() {
        return FederationRelay.FLOODED;
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("code", code);
        return m;
    }
}
