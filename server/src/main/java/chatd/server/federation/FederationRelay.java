package chatd.server.federation;

import chatd.protocol.Envelope;
import chatd.protocol.ModeChange;
import chatd.protocol.Modes;
import chatd.protocol.Json;
import chatd.protocol.Names;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChatState;
import chatd.server.core.Membership;
import chatd.server.core.RemoteUser;
import chatd.server.core.Relay;
import chatd.server.core.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The core's outbound {@link Relay}, and the routing shared with forwarding. Called under the state
 * lock: it turns an event into its network form (users as {@code nick@server}), signs it, and records
 * one outbox row per peer that needs it as a mutation of the same journal batch as the event itself,
 * so an event is either committed and queued, or neither. After the commit the rows are handed to the
 * peers' senders in memory ({@link OutboxTail}).
 *
 * <p>Routing (as IRC): state events — JOIN, PART, KICK, TOPIC, MODE, QUIT, NICK, AWAY, PRESENCE,
 * SERVER, BURST — go to every peer, so every server knows every channel's members; channel messages go
 * only to the peers behind which the channel has members; DMs go to the peer towards the target's
 * server. Forwarding never sends an event back to where it came from nor to its origin; dedup at the
 * receivers makes any topology deliver once.
 */
final class FederationRelay implements Relay {
    /** Where outgoing events are signed: a virtual thread each (Ed25519 over JCS is CPU work, not I/O). */
    private static final Executor SIGNING = Executors.newVirtualThreadPerTaskExecutor();
    static final int MAX_HOPS = 16;
    static final Set<String> FLOODED = Set.of("JOIN", "PART", "KICK", "TOPIC", "MODE", "QUIT", "NICK", "AWAY",
            "PRESENCE", "SERVER", "BURST");

    private final ChatState state;
    private final String self;
    private final Signer signer;
    private final Network network;
    private final Map<String, PeerLink> links;
    private final AtomicLong outboxSeq;
    /** When each channel mode last changed, for mode conflicts after a split. */
    final ModeTimes modeTimes = new ModeTimes();
    /** The stored copy of the remote members, kept in step in each operation's batch. */
    final MemberLedger ledger;

    FederationRelay(ChatState state, Signer signer, Network network, Map<String, PeerLink> links, AtomicLong outboxSeq) {
        this.state = state;
        this.self = state.serverName();
        this.signer = signer;
        this.network = network;
        this.links = links;
        this.outboxSeq = outboxSeq;
        this.ledger = new MemberLedger(state, modeTimes);
    }

    // ---------------------------------------------------------------- core hooks (under the lock)

    @Override
    public void channelEvent(Channel channel, Envelope event, Changes changes) {
        if (links.isEmpty()) {
            return;
        }
        ObjectNode extra = null;
        if (event.command().equals("JOIN")) {
            Membership m = channel.membership(event.from());
            extra = Json.MAPPER.createObjectNode().put("modes", m == null ? "" : m.modes());
            if (channel.key() != null) {
                // the joiner gave it (the rule book checked): receivers check the JOIN against their own key
                extra.put("key", channel.key());
            }
        } else if (event.command().equals("MODE") && !event.params().isEmpty()) {
            modeTimes.local(channel.foldedName(), event.params().getFirst(), new ModeTimes.Stamp(changes.nowMillis(), self));
        }
        Envelope global = globalise(event);
        Collection<String> peers = FLOODED.contains(event.command()) ? allPeers() : peersWithMembers(channel);
        emit(changes, global, extra, peers);
        if (event.command().equals("KICK") && !event.params().isEmpty()) {
            // the core removes the victim right after this call
            ledger.sync(changes, new MemberLedger.Key(channel.foldedName(), Names.fold(event.params().getFirst())));
        } else if (event.command().equals("MODE")) {
            ledger.sync(changes);
        }
    }

    @Override
    public boolean directMessage(String server, Envelope event, Changes changes) {
        String hop = network.nextHop(server);
        if (hop == null && links.containsKey(server)) {
            hop = server;
        }
        if (hop == null || !links.containsKey(hop)) {
            return false;
        }
        emit(changes, globalise(event), null, List.of(hop));
        return true;
    }

    @Override
    public void userEvent(Session session, Envelope event, Changes changes) {
        if (links.isEmpty() || session.channels().isEmpty()) {
            return;
        }
        emit(changes, globalise(event), null, allPeers());
    }

    // ---------------------------------------------------------------- building and queueing events

    /** Signs a new event originated here and queues it for {@code peers}. */
    void emit(Changes changes, Envelope envelope, ObjectNode extra, Collection<String> peers) {
        if (peers.isEmpty()) {
            return;
        }
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("id", UUID.randomUUID().toString());
        event.put("origin", self);
        event.put("ts", envelope.ts() != null ? envelope.ts() : Instant.ofEpochMilli(changes.nowMillis()).toString());
        event.put("hops", 0);
        event.set("envelope", Json.MAPPER.valueToTree(envelope));
        if (extra != null) {
            event.set("state", extra);
        }
        // Signing and serialising happen off the state lock and off the journal's writer (see enqueue).
        enqueue(changes, () -> signer.signedJson(event), peers);
    }

    /** Queues a received event for other peers with one more hop (its signature is unchanged). */
    void forward(Changes changes, ObjectNode event, Collection<String> peers) {
        int hops = event.path("hops").asInt() + 1;
        if (hops > MAX_HOPS || peers.isEmpty()) {
            return;
        }
        ObjectNode copy = event.deepCopy();
        copy.put("hops", hops);
        enqueue(changes, () -> Json.write(copy), peers);
    }

    private void enqueue(Changes changes, Supplier<String> json, Collection<String> peers) {
        List<String> to = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (String p : peers) {
            if (links.containsKey(p)) {
                to.add(p);
                seqs.add(outboxSeq.incrementAndGet());
            }
        }
        if (to.isEmpty()) {
            return;
        }
        // Signed and serialised once, on a virtual thread started now, so that neither the state lock nor the
        // journal's writer does the work: the writer only picks the result up (by then it is almost always made).
        CompletableFuture<String> made = CompletableFuture.supplyAsync(json, SIGNING);
        Supplier<String> once = made::join;
        changes.persist(FederationStore.enqueue(to, seqs, once, changes.nowMillis()));
        changes.afterCommit(() -> {
            for (int i = 0; i < to.size(); i++) {
                PeerLink link = links.get(to.get(i));
                if (link != null) {
                    link.queued(seqs.get(i), once.get());
                }
            }
        });
    }

    /** Signs our burst and queues it for {@code peers} (a BURST is flooded on from there). */
    void emitBurst(Changes changes, Collection<String> peers) {
        emit(changes, new Envelope(UUID.randomUUID().toString(), changes.nowTs(), "BURST", self, "*", List.of(),
                burst(changes.nowMillis()), self, null), null, peers);
    }

    /**
     * Our state for a peer that just linked, or a server newly introduced: the servers with keys, and each
     * channel with its flags, key, limit and mask lists ({@code b e I}), our own members (with presence), and the topic and mode changes
     * made here. A server speaks only for itself (receivers refuse a burst that lists anything else): other
     * servers' users and changes reach the newcomer in their own servers' bursts.
     */
    ObjectNode burst(long nowMillis) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode servers = body.putArray("servers");
        servers.addObject().put("name", self).put("key", signer.publicKey());
        for (Network.Server s : network.all()) {
            servers.addObject().put("name", s.name()).put("key", s.publicKey());
        }
        ArrayNode channels = body.putArray("channels");
        for (Channel c : state.channels()) {
            ObjectNode ch = channels.addObject();
            ch.put("name", c.name());
            if (!c.topicSetter().isEmpty() && !c.topicSetter().contains("@")) {
                ch.put("topic", c.topic());
                ch.put("topic_setter", globalName(c.topicSetter()));
                ch.put("topic_ms", c.topicMillis());
            }
            ch.put("flags", c.flags());
            if (c.key() != null) {
                ch.put("key", c.key());
            }
            ch.put("limit", c.limit());
            ObjectNode lists = ch.putObject("lists");
            for (char mode : Channel.LIST_MODES.toCharArray()) {
                c.maskList(mode).masks().forEach(lists.putArray(String.valueOf(mode))::add);
            }
            ObjectNode times = ch.putObject("mode_times");
            modeTimes.of(c.foldedName()).forEach((mode, stamp) -> {
                if (stamp.server().equals(self)) {
                    times.putObject(String.valueOf(mode)).put("ms", stamp.millis()).put("server", stamp.server());
                }
            });
            ArrayNode members = ch.putArray("members");
            for (Membership m : c.members()) {
                if (!(m.member() instanceof Session)) {
                    continue;
                }
                ObjectNode row = members.addObject();
                row.put("nick", globalName(m.member().displayName()));
                row.put("modes", m.modes());
                row.put("presence", m.member().presence(nowMillis));
                if (m.member().away() != null) {
                    row.put("away", m.member().away());
                }
            }
        }
        return body;
    }

    // ---------------------------------------------------------------- routing

    Set<String> allPeers() {
        return new LinkedHashSet<>(links.keySet());
    }

    /** The peers behind which {@code channel} has members. */
    Set<String> peersWithMembers(Channel channel) {
        Set<String> out = new LinkedHashSet<>();
        for (Membership m : channel.members()) {
            if (m.member() instanceof RemoteUser u) {
                String hop = network.nextHop(u.serverName());
                if (hop != null) {
                    out.add(hop);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- views

    /** A local bare nick becomes {@code nick@self}; {@code nick@server} and channels stay. */
    String globalName(String name) {
        if (name == null || name.isEmpty() || name.contains("@") || Names.isChannel(name) || name.equals("*")) {
            return name;
        }
        return name + "@" + self;
    }

    /** {@code nick@self} becomes the bare local nick; everything else stays. */
    String localName(String name) {
        if (name == null) {
            return null;
        }
        Names.UserAddress a = Names.parseUser(name);
        return a.isRemote() && a.server().equals(self) ? a.nick() : name;
    }

    Envelope globalise(Envelope e) {
        return new Envelope(e.id(), e.ts(), e.command(), globalName(e.from()), globalName(e.to()),
                mapNicks(e.command(), e.params(), this::globalName), e.body(), e.origin() == null ? self : e.origin(), e.meta());
    }

    Envelope localise(Envelope e, String origin) {
        return new Envelope(e.id(), e.ts(), e.command(), localName(e.from()), localName(e.to()),
                mapNicks(e.command(), e.params(), this::localName), e.body(), origin, e.meta());
    }

    /** Rewrites the nick arguments of KICK ([victim]) and MODE (o/v arguments). */
    static List<String> mapNicks(String command, List<String> params, java.util.function.UnaryOperator<String> f) {
        if (command.equals("KICK") && !params.isEmpty()) {
            List<String> out = new ArrayList<>(params);
            out.set(0, f.apply(params.getFirst()));
            return out;
        }
        if (!command.equals("MODE") || params.isEmpty()) {
            return params;
        }
        List<ModeChange> changes = new ArrayList<>();
        for (ModeChange change : Modes.parse(params)) {
            changes.add(change.isPrefixMode() && change.arg() != null ? change.withArg(f.apply(change.arg())) : change);
        }
        return Modes.format(changes);
    }

    static long millis(String ts, long fallback) {
        try {
            return Instant.parse(ts).toEpochMilli();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
