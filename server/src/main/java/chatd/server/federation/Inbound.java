package chatd.server.federation;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.protocol.Names;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.RemoteEvents;
import chatd.server.core.RemoteUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a relayed batch (SPEC §7.4). First, outside the state lock, each event is checked on its
 * own: shape, hop count, known origin, the origin's signature, and that its {@code from} is a user of
 * its origin (or the origin itself for SERVER/BURST). A failing event is rejected alone. Then, in one
 * {@link ChatCore#transact}, each remaining event is dropped if its id was seen (dedup), else applied
 * to the core through {@link RemoteEvents}, remembered as seen and forwarded — the seen ids and the
 * forwarded outbox rows commit in the same transaction as the deliveries, so a crash never applies an
 * event twice nor loses a forward.
 */
final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    /** The answer of one batch. */
    record Result(List<String> accepted, List<String> duplicate, List<ObjectNode> rejected) {
        ObjectNode json() {
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode a = out.putArray("accepted");
            accepted.forEach(a::add);
            ArrayNode d = out.putArray("duplicate");
            duplicate.forEach(d::add);
            ArrayNode r = out.putArray("rejected");
            rejected.forEach(r::add);
            return out;
        }
    }

    private record Checked(String id, String origin, ObjectNode raw, Envelope envelope) {}

    private final ChatCore core;
    private final RemoteEvents remote;
    private final FederationRelay relay;
    private final Network network;
    private final Dedup dedup;
    private final String self;

    Inbound(ChatCore core, RemoteEvents remote, FederationRelay relay, Network network, Dedup dedup) {
        this.core = core;
        this.remote = remote;
        this.relay = relay;
        this.network = network;
        this.dedup = dedup;
        this.self = core.state().serverName();
    }

    /** Applies a batch; {@code applied} runs once its events are applied (under the state lock when any were). */
    Result apply(String source, JsonNode events, Runnable applied) {
        List<String> accepted = new ArrayList<>();
        List<String> duplicate = new ArrayList<>();
        List<ObjectNode> rejected = new ArrayList<>();
        List<Checked> ok = new ArrayList<>();
        Map<String, String> introduced = new HashMap<>();
        for (JsonNode node : events) {
            String id = node.isObject() ? FederationRelay.text(node, "id") : null;
            String problem = check(node, introduced);
            if (problem == null && self.equals(FederationRelay.text(node, "origin"))) {
                duplicate.add(id);
                continue;
            }
            if (problem != null) {
                rejected.add(Json.MAPPER.createObjectNode().put("id", id == null ? "" : id).put("reason", problem));
                LOG.info("event {} from {} rejected: {}", id, source, problem);
                continue;
            }
            ObjectNode raw = (ObjectNode) node;
            Envelope envelope = Json.MAPPER.convertValue(raw.get("envelope"), Envelope.class);
            ok.add(new Checked(id, FederationRelay.text(raw, "origin"), raw, envelope));
        }
        if (ok.isEmpty()) {
            applied.run();
            return new Result(accepted, duplicate, rejected);
        }
        List<String> fresh = new ArrayList<>();
        boolean[] stateEvents = {false};
        try {
            core.transact(changes -> {
                for (Checked c : ok) {
                    if (!dedup.firstTime(c.id())) {
                        duplicate.add(c.id());
                        continue;
                    }
                    fresh.add(c.id());
                    stateEvents[0] |= FederationRelay.FLOODED.contains(c.envelope().command());
                    try {
                        Set<String> forwardTo = route(c, source);
                        applyOne(changes, c, source);
                        relay.forward(changes, c.raw(), forwardTo);
                    } catch (RuntimeException e) {
                        LOG.warn("event {} from {} could not be applied: {}", c.id(), source, e.toString());
                    }
                    accepted.add(c.id());
                }
                if (!fresh.isEmpty()) {
                    changes.persist(FederationStore.markSeen(List.copyOf(fresh), changes.nowMillis()));
                }
                if (stateEvents[0]) {
                    relay.ledger.sync(changes);
                }
                applied.run();
                return null;
            });
        } catch (ChatError e) {
            core.state().lock().lock();
            try {
                fresh.forEach(dedup::forget);
            } finally {
                core.state().lock().unlock();
            }
            throw e;
        }
        return new Result(accepted, duplicate, rejected);
    }

    /** Null when the event may be applied, else why not. Learns keys introduced earlier in the batch. */
    private String check(JsonNode node, Map<String, String> introduced) {
        if (!node.isObject()) {
            return "not an object";
        }
        String id = FederationRelay.text(node, "id");
        String origin = FederationRelay.text(node, "origin");
        JsonNode env = node.get("envelope");
        if (id == null || id.isEmpty() || id.length() > 100 || origin == null || env == null || !env.isObject()
                || !node.path("hops").canConvertToInt()) {
            return "malformed event";
        }
        int hops = node.path("hops").asInt();
        if (hops < 0 || hops > FederationRelay.MAX_HOPS) {
            return "too many hops";
        }
        if (self.equals(origin)) {
            return null;
        }
        byte[] key = network.key(origin);
        if (key == null && introduced.containsKey(origin)) {
            key = chatd.protocol.Ed25519.decodeKey(introduced.get(origin));
        }
        if (key == null) {
            return "unknown origin " + origin;
        }
        if (node.get("sig") == null) {
            return "missing signature";
        }
        if (!Signer.verifyEvent(node, key)) {
            return "bad signature";
        }
        Envelope e;
        try {
            e = Json.MAPPER.convertValue(env, Envelope.class);
        } catch (IllegalArgumentException ex) {
            return "malformed envelope";
        }
        if (e.command() == null) {
            return "malformed envelope";
        }
        String command = e.command();
        if (command.equals("SERVER") || command.equals("BURST")) {
            if (!origin.equals(e.from())) {
                return "forged from";
            }
            learnLater(command, e.body(), introduced);
            return null;
        }
        Names.UserAddress from = Names.parseUser(e.from() == null ? "" : e.from());
        if (!from.isRemote() || !from.server().equals(origin) || !Names.isValidNick(from.nick())) {
            return "forged from: " + e.from() + " is not a user of " + origin;
        }
        return null;
    }

    private static void learnLater(String command, JsonNode body, Map<String, String> introduced) {
        if (body == null || !body.isObject()) {
            return;
        }
        if (command.equals("SERVER")) {
            String name = FederationRelay.text(body, "name");
            String key = FederationRelay.text(body, "key");
            if (name != null && key != null) {
                introduced.putIfAbsent(name, key);
            }
        } else {
            for (JsonNode s : body.path("servers")) {
                String name = FederationRelay.text(s, "name");
                String key = FederationRelay.text(s, "key");
                if (name != null && key != null) {
                    introduced.putIfAbsent(name, key);
                }
            }
        }
    }

    /** Where to forward: computed before applying (a PART still sees its channel's members). */
    private Set<String> route(Checked c, String source) {
        Envelope e = c.envelope();
        Set<String> out;
        if (FederationRelay.FLOODED.contains(e.command())) {
            out = relay.allPeers();
        } else if (e.to() != null && Names.isChannel(e.to())) {
            Channel channel = core.state().channel(e.to());
            out = channel == null ? new LinkedHashSet<>() : relay.peersWithMembers(channel);
        } else {
            Names.UserAddress to = Names.parseUser(e.to() == null ? "" : e.to());
            out = new LinkedHashSet<>();
            if (to.isRemote() && !to.server().equals(self)) {
                String hop = network.nextHop(to.server());
                if (hop != null) {
                    out.add(hop);
                }
            }
        }
        out.remove(source);
        out.remove(c.origin());
        return out;
    }

    private void applyOne(Changes changes, Checked c, String source) {
        Envelope e = relay.localise(c.envelope(), c.origin());
        JsonNode extra = c.raw().path("state");
        switch (e.command()) {
            case "SERVER" -> learn(changes, e.body(), source);
            case "BURST" -> burst(changes, e.body(), c.origin(), source);
            case "JOIN" -> remote.join(changes, e.to(), remote.user(e.from()), extra.path("modes").asText(""), e);
            case "PART" -> remote.part(changes, e.to(), remote.user(e.from()), e);
            case "KICK" -> remote.kick(changes, e.to(), e.param(0), e);
            case "QUIT" -> {
                RemoteUser u = known(e.from());
                if (u != null) {
                    remote.quit(changes, u, e);
                }
            }
            case "NICK" -> {
                RemoteUser u = known(e.from());
                String next = e.firstLine();
                if (u != null && Names.isValidNick(next)) {
                    remote.nick(changes, u, next, e.withTo(null));
                }
            }
            case "TOPIC" -> remote.topic(changes, e.to(), String.join(" ", e.bodyLines()), e.from(),
                    FederationRelay.millis(e.ts(), changes.nowMillis()), e);
            case "MODE" -> {
                if (e.to() == null || !Names.isChannel(e.to())) {
                    return;
                }
                ModeTimes.Stamp at = new ModeTimes.Stamp(FederationRelay.millis(e.ts(), changes.nowMillis()), c.origin());
                List<String> winning = relay.modeTimes.filter(Names.fold(e.to()), e.params(), at);
                if (!winning.isEmpty()) {
                    remote.mode(changes, e.to(), winning, new Envelope(e.id(), e.ts(), e.command(), e.from(), e.to(), winning,
                            e.body(), e.origin(), e.meta()));
                }
            }
            case "AWAY" -> {
                RemoteUser u = known(e.from());
                if (u != null) {
                    remote.away(u, e.firstLine());
                }
            }
            case "PRESENCE" -> {
                RemoteUser u = known(e.from());
                if (u != null && e.firstLine() != null) {
                    remote.presence(u, e.firstLine());
                }
            }
            default -> {
                if (e.to() != null && Names.isChannel(e.to())) {
                    remote.channelMessage(changes, e.to(), e);
                } else if (e.to() != null && !e.to().contains("@")) {
                    remote.directMessage(changes, e);
                }
            }
        }
    }

    /** Each mode of a burst's channel that changed later than here (or ties and wins) is taken over. */
    private void burstModes(Changes changes, String name, JsonNode ch) {
        JsonNode times = ch.path("mode_times");
        String flags = ch.path("flags").asText("");
        for (char mode : ModeTimes.LETTERS.toCharArray()) {
            JsonNode t = times.path(String.valueOf(mode));
            String server = FederationRelay.text(t, "server");
            if (server == null || !t.path("ms").canConvertToLong()
                    || !relay.modeTimes.offer(Names.fold(name), mode, new ModeTimes.Stamp(t.path("ms").asLong(), server))) {
                continue;
            }
            List<String> params = switch (mode) {
                case 'k' -> FederationRelay.text(ch, "key") == null ? List.of("-k") : List.of("+k", FederationRelay.text(ch, "key"));
                case 'l' -> ch.path("limit").asInt(0) > 0 ? List.of("+l", Integer.toString(ch.path("limit").asInt())) : List.of("-l");
                default -> List.of((flags.indexOf(mode) >= 0 ? "+" : "-") + mode);
            };
            remote.mode(changes, name, params, null);
        }
    }

    private RemoteUser known(String display) {
        Names.UserAddress a = Names.parseUser(display);
        return a.isRemote() ? core.state().remoteUser(a.nick(), a.server()) : null;
    }

    private void learn(Changes changes, JsonNode body, String source) {
        String name = FederationRelay.text(body, "name");
        String key = FederationRelay.text(body, "key");
        if (name != null && key != null && !name.equals(source) && network.learn(name, key, source)) {
            changes.persist(FederationStore.saveServer(name, key, source, changes.nowMillis()));
        }
    }

    private void burst(Changes changes, JsonNode body, String origin, String source) {
        if (body == null || !body.isObject()) {
            return;
        }
        for (JsonNode s : body.path("servers")) {
            String name = FederationRelay.text(s, "name");
            if (name != null && !name.equals(source)) {
                learn(changes, s, source);
            }
        }
        Map<String, Set<String>> originMembers = new HashMap<>();
        for (JsonNode ch : body.path("channels")) {
            String name = FederationRelay.text(ch, "name");
            if (!Names.isValidChannel(name)) {
                continue;
            }
            Set<String> listed = new HashSet<>();
            originMembers.put(Names.fold(name), listed);
            for (JsonNode m : ch.path("members")) {
                String nick = FederationRelay.text(m, "nick");
                Names.UserAddress a = nick == null ? null : Names.parseUser(nick);
                if (a == null || !a.isRemote() || a.server().equals(self) || !Names.isValidNick(a.nick())) {
                    continue;
                }
                listed.add(Names.fold(nick));
                RemoteUser u = remote.user(nick);
                String presence = FederationRelay.text(m, "presence");
                if (presence != null) {
                    remote.presence(u, presence);
                }
                u.away(FederationRelay.text(m, "away"));
                Envelope join = new Envelope(null, null, "JOIN", nick, name, List.of(), null, a.server(), null);
                remote.join(changes, name, u, m.path("modes").asText(""), join);
            }
            long topicMs = ch.path("topic_ms").asLong(0);
            String topic = FederationRelay.text(ch, "topic");
            if (topicMs > 0 && topic != null) {
                String setter = relay.localName(FederationRelay.text(ch, "topic_setter"));
                Envelope t = new Envelope(null, null, "TOPIC", setter, name, List.of(), Envelope.lines(List.of(topic)),
                        origin, null);
                remote.topic(changes, name, topic, setter == null ? "" : setter, topicMs, t);
            }
            burstModes(changes, name, ch);
        }
        if (origin.equals(source)) {
            for (Channel c : List.copyOf(core.state().channels())) {
                remote.resync(changes, origin, c.name(), originMembers.getOrDefault(c.foldedName(), Set.of()));
            }
        }
    }
}
