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
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-to-server federation (SPEC §7): wires the parts and owns the links' lifecycle (a link comes up,
 * goes down, is added or removed; presence announcements). The parts: {@link LinkDialler} (the dialler's
 * half of the handshake; the receiver's is in {@link FederationEndpoints}), {@link PeerSender} (each
 * peer's outbound batches), {@link Inbound} (relayed batches in), {@link FederationRelay} (the core's
 * outbound hook and the outbox). It is the {@link PeerLink.Transport} of every peer's sender thread,
 * handing dialling and sending to those parts. Time comes from one {@link Clock}. Wired by {@code ChatServer}:
 * {@link #create} installs the outbound relay into the core, {@link #restore} (after the core restored
 * its state, before serving) puts back links, keys and remote members, {@link #start} (once listening)
 * dials the configured peers, {@link #stop} stops the senders.
 *
 * <p>{@code FEDERATION_POLICY=disabled} makes this a null object for the core ({@code Relay.NONE}
 * stays installed) and the endpoints answer 403.
 */
public final class Federation implements PeerLink.Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    /** How often each peer's outbox is held to its bounds. */
    private static final long OUTBOX_TRIM_SECONDS = 10;

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
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chatd-federation").daemon(true).factory());
    /** Last presence announced per local session, for idle/online propagation. */
    private final Map<Long, String> announced = new HashMap<>();
    private volatile boolean running;
    private final Clock clock;
    private final LinkDialler dialler;
    private final PeerSender sender;
    private final FederationHttp http;

    private Federation(ServerConfig config, Database database, ChatCore core, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.core = core;
        this.store = new FederationStore(database);
        this.self = config.serverName();
        this.signer = new Signer(store.identity(clock.millis()));
        this.network = new Network(self);
        this.dedup = new Dedup(clock, Duration.ofDays(3), 500_000);
        this.remote = new RemoteEvents(core.state());
        this.relay = new FederationRelay(core.state(), signer, network, links, outboxSeq);
        this.inbound = new Inbound(core, remote, relay, network, dedup, new Refusals(registry));
        this.http = new FederationHttp(self, signer, clock);
        this.dialler = new LinkDialler(config, core, signer, network, handshake, http, clock, this::linkUp);
        this.sender = new PeerSender(core, store, http);
        if (enabled()) {
            core.state().relay(relay);
        }
    }

    /** {@code registry} receives the federation's metrics ({@link Refusals}). */
    public static Federation create(ServerConfig config, Database database, ChatCore core, MeterRegistry registry) {
        return new Federation(config, database, core, registry, Clock.systemUTC());
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
        long now = clock.millis();
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
            links.put(row.name(), new PeerLink(row.name(), row.url(), row.linkKey(), this, clock));
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
        timer.scheduleWithFixedDelay(this::trimOutboxes, OUTBOX_TRIM_SECONDS, OUTBOX_TRIM_SECONDS, TimeUnit.SECONDS);
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

    /**
     * Bounds each peer's outbox (a peer away for long would otherwise grow it without end): the oldest
     * events past FEDERATION_OUTBOX_MAX, or older than FEDERATION_OUTBOX_MAX_AGE, are dropped, counted on
     * the status endpoint and in metrics, and logged.
     */
    private void trimOutboxes() {
        long cutoff = System.currentTimeMillis() - config.federation().outboxMaxAge().toMillis();
        for (PeerLink link : links.values()) {
            try {
                FederationStore.Trimmed trimmed = store.trimOutbox(link.name(), config.federation().outboxMax(), cutoff);
                if (trimmed.rows() > 0) {
                    link.trimmed(trimmed);
                    LOG.warn("link {}: dropped {} undelivered events from its outbox (beyond {} or older than {})", link.name(),
                            trimmed.rows(), config.federation().outboxMax(), config.federation().outboxMaxAge());
                }
            } catch (RuntimeException e) {
                LOG.warn("link {}: trimming its outbox failed: {}", link.name(), e.getMessage());
            }
        }
    }

    /** Events dropped from outboxes by their bounds since start (a metric). */
    public long outboxDropped() {
        return links.values().stream().mapToLong(PeerLink::dropped).sum();
    }

    public void stop() {
        running = false;
        timer.shutdownNow();
        links.values().forEach(PeerLink::stop);
        http.close();
    }

    // ---------------------------------------------------------------- link lifecycle (PeerLink.Transport)

    @Override
    public boolean dial(PeerLink link) {
        return running && dialler.dial(link);
    }

    @Override
    public PeerLink.Outcome sendNext(PeerLink link) {
        return sender.sendNext(link);
    }

    /**
     * The link is authenticated (we dialled, or the peer's confirm arrived): remember its key, mark its
     * users reachable, introduce it to the other peers and queue our burst for it.
     */
    void linkUp(String name, String url, String publicKey) {
        store.saveLink(name, url, null, publicKey, clock.millis());
        PeerLink link = links.computeIfAbsent(name, n -> {
            PeerLink l = new PeerLink(n, url, null, this, clock);
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
            relay.emitBurst(changes, List.of(name));
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

    // ---------------------------------------------------------------- admin and status

    /** Adds or updates a link at run time and dials it. */
    void addLink(String name, String url, String key) {
        store.saveLink(name, url, key, null, clock.millis());
        PeerLink link = links.get(name);
        if (link == null) {
            link = new PeerLink(name, url, key, this, clock);
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
            p.put("dropped", l.dropped());
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
