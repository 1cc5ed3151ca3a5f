package chatd.server.federation;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.protocol.ModeChange;
import chatd.protocol.Modes;
import chatd.protocol.Names;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChannelRules;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.RemoteEvents;
import chatd.server.core.RemoteUser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * own: shape, hop count, known origin, the origin's signature (all of one origin's signatures verified
 * together, {@link OriginSignatures}), and that its {@code from} is a user of
 * its origin (or the origin itself for SERVER/BURST). A failing event is rejected alone. Then, in one
 * {@link ChatCore#transact}, each remaining event is dropped if its id was seen (dedup), else applied
 * to the core through {@link RemoteEvents}, remembered as seen and forwarded — the seen ids and the
 * forwarded outbox rows commit in the same transaction as the deliveries, so a crash never applies an
 * event twice nor loses a forward.
 *
 * <p>The trust model (FEDERATION.md, "Trust"): a peer speaks only for its own users, or relays events
 * signed by their origin; what a remote user may do in a channel is decided by the core's rule book on
 * this server's view ({@link RemoteEvents}); a burst may only list its origin's own users and its own
 * topic and mode changes; peers' timestamps count at most {@link #MAX_SKEW_MILLIS} ahead of our clock.
 * A refused event is answered in {@code rejected}, logged and counted ({@link Refusals}); the link stays up.
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

    /** Why an event is refused: the metric label and the reason answered to the peer. */
    record Rejection(String label, String reason) {
        static Rejection of(ChannelRules.Refusal refusal) {
            return new Rejection(refusal.reason().label(), refusal.describe());
        }
    }

    /**
     * How far ahead of our clock a peer's timestamp may be. Newest-wins conflict rules would otherwise let
     * one event stamped in the future win for ever; 30 s is well above the clock skew of servers running
     * NTP, and far below the ±5 min the request signatures tolerate.
     */
    static final long MAX_SKEW_MILLIS = 30_000;

    private final ChatCore core;
    private final RemoteEvents remote;
    private final FederationRelay relay;
    private final Network network;
    private final Dedup dedup;
    private final Refusals refusals;
    private final String self;

    Inbound(ChatCore core, RemoteEvents remote, FederationRelay relay, Network network, Dedup dedup, Refusals refusals) {
        this.core = core;
        this.refusals = refusals;
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
        OriginSignatures signatures = OriginSignatures.check(events, network::key);
        for (int i = 0; i < events.size(); i++) {
            JsonNode node = events.get(i);
            String id = node.isObject() ? FederationRelay.text(node, "id") : null;
            Verdict verdict = check(node, i, signatures, introduced);
            if (verdict.problem() != null) {
                rejected.add(refusals.record(source, id, verdict.problem()));
                continue;
            }
            if (self.equals(FederationRelay.text(node, "origin"))) {
                duplicate.add(id);
                continue;
            }
            ok.add(new Checked(id, FederationRelay.text(node, "origin"), (ObjectNode) node, verdict.envelope()));
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
                        Rejection refused = applyOne(changes, c, source);
                        if (refused != null) {
                            // refused here: not applied, and not forwarded either
                            rejected.add(refusals.record(source, c.id(), refused));
                            continue;
                        }
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

    /** An event's checks: its envelope, parsed once, when it may be applied; else why not. */
    private record Verdict(Envelope envelope, Rejection problem) {
        static Verdict refuse(String label, String reason) {
            return new Verdict(null, new Rejection(label, reason));
        }
    }

    /**
     * Checks one event on its own (its signature was checked with the batch's, see {@link OriginSignatures}).
     * Learns keys introduced earlier in the batch.
     */
    private Verdict check(JsonNode node, int index, OriginSignatures signatures, Map<String, String> introduced) {
        if (!node.isObject()) {
            return Verdict.refuse("malformed", "not an object");
        }
        String id = FederationRelay.text(node, "id");
        String origin = FederationRelay.text(node, "origin");
        JsonNode env = node.get("envelope");
        if (id == null || id.isEmpty() || id.length() > 100 || origin == null || env == null || !env.isObject()
                || !node.path("hops").canConvertToInt()) {
            return Verdict.refuse("malformed", "malformed event");
        }
        int hops = node.path("hops").asInt();
        if (hops < 0 || hops > FederationRelay.MAX_HOPS) {
            return Verdict.refuse("too_many_hops", "too many hops");
        }
        if (self.equals(origin)) {
            return new Verdict(null, null); // our own event come back: a duplicate
        }
        byte[] key = network.key(origin);
        if (key == null && introduced.containsKey(origin)) {
            key = chatd.protocol.Ed25519.decodeKey(introduced.get(origin));
        }
        if (key == null) {
            return Verdict.refuse("unknown_origin", "unknown origin " + origin);
        }
        if (node.get("sig") == null) {
            return Verdict.refuse("bad_signature", "missing signature");
        }
        if (!signatures.valid(index, node, key)) {
            return Verdict.refuse("bad_signature", "bad signature");
        }
        Envelope e;
        try {
            // read from the tree as it is (convertValue would write it out to tokens first)
            e = Json.MAPPER.treeToValue(env, Envelope.class);
        } catch (JsonProcessingException | IllegalArgumentException ex) {
            return Verdict.refuse("malformed", "malformed envelope");
        }
        if (e.command() == null) {
            return Verdict.refuse("malformed", "malformed envelope");
        }
        String command = e.command();
        if (command.equals("SERVER") || command.equals("BURST")) {
            if (!origin.equals(e.from())) {
                return Verdict.refuse("forged_from", "forged from");
            }
            learnLater(command, e.body(), introduced);
            return new Verdict(e, null);
        }
        Names.UserAddress from = Names.parseUser(e.from() == null ? "" : e.from());
        if (!from.isRemote() || !from.server().equals(origin) || !Names.isValidNick(from.nick())) {
            return Verdict.refuse("forged_from", "forged from: " + e.from() + " is not a user of " + origin);
        }
        return new Verdict(e, null);
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

    /** Applies one event through the rule book; null when applied, else why it was refused. */
    private Rejection applyOne(Changes changes, Checked c, String source) {
        Envelope e = relay.localise(c.envelope(), c.origin());
        JsonNode extra = c.raw().path("state");
        switch (e.command()) {
            case "SERVER" -> {
                learn(changes, e.body(), source);
                // A burst speaks only for its own server, so a newcomer learns our users from us
                if (!self.equals(FederationRelay.text(e.body(), "name"))) {
                    relay.emitBurst(changes, relay.allPeers());
                }
                return null;
            }
            case "BURST" -> {
                return burst(changes, e.body(), c.origin(), source);
            }
            case "JOIN" -> {
                return refused(remote.join(changes, e.to(), remote.user(e.from()), extra.path("modes").asText(""),
                        FederationRelay.text(extra, "key"), ChannelRules.JoinPath.RELAYED, e));
            }
            case "PART" -> {
                return refused(remote.part(changes, e.to(), actor(e.from()), e));
            }
            case "KICK" -> {
                return e.param(0) == null ? new Rejection("malformed", "KICK without a victim")
                        : refused(remote.kick(changes, e.to(), actor(e.from()), e.param(0), e));
            }
            case "TOPIC" -> {
                return refused(remote.topic(changes, e.to(), actor(e.from()), String.join(" ", e.bodyLines()),
                        stamp(e.ts(), changes), e));
            }
            case "MODE" -> {
                return mode(changes, c, e, source);
            }
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
                    return refused(remote.channelMessage(changes, e.to(), actor(e.from()), e));
                }
                if (e.to() != null && !e.to().contains("@")) {
                    remote.directMessage(changes, e);
                }
            }
        }
        return null;
    }

    /**
     * A relayed MODE: the rule book decides (operator here, valid arguments), the conflict rule keeps the
     * changes newer than the ones known here. Refused only when nothing took effect; refused parts of a MODE
     * that otherwise applied are still logged and counted.
     */
    private Rejection mode(Changes changes, Checked c, Envelope e, String source) {
        if (e.to() == null || !Names.isChannel(e.to())) {
            return new Rejection("malformed", "MODE without a channel");
        }
        ModeTimes.Stamp at = new ModeTimes.Stamp(stamp(e.ts(), changes), c.origin());
        String folded = Names.fold(e.to());
        RemoteEvents.ModeOutcome out = remote.mode(changes, e.to(), actor(e.from()), e.params(),
                change -> !ModeTimes.tracked(change.mode()) || relay.modeTimes.offer(folded, change.mode(), at), e);
        if (out.applied().isEmpty()) {
            return out.refused().isEmpty() ? null : Rejection.of(out.refused().getFirst());
        }
        out.refused().forEach(r -> refusals.record(source, c.id(), Rejection.of(r)));
        return null;
    }

    private static Rejection refused(ChannelRules.Refusal refusal) {
        return refusal == null ? null : Rejection.of(refusal);
    }

    /** A peer's timestamp, at most {@link #MAX_SKEW_MILLIS} ahead of our clock (unreadable: now). */
    static long stamp(String ts, Changes changes) {
        return clamp(FederationRelay.millis(ts, changes.nowMillis()), changes);
    }

    private static long clamp(long millis, Changes changes) {
        return Math.min(millis, changes.nowMillis() + MAX_SKEW_MILLIS);
    }

    /**
     * Each mode of a burst's channel that its origin changed later than the change known here (or ties and
     * wins) is taken over, and the masks of its lists added — when the origin may assert changes in this channel at all (netjoin rule).
     */
    private void burstModes(Changes changes, String name, JsonNode ch, String origin) {
        Channel channel = core.state().channel(name);
        if (channel == null || !ChannelRules.netjoinMayAssert(channel, origin, false)) {
            return;
        }
        JsonNode times = ch.path("mode_times");
        String flags = ch.path("flags").asText("");
        for (char mode : ModeTimes.LETTERS.toCharArray()) {
            JsonNode t = times.path(String.valueOf(mode));
            if (!t.path("ms").canConvertToLong()) {
                continue;
            }
            ModeTimes.Stamp at = new ModeTimes.Stamp(clamp(t.path("ms").asLong(), changes), origin);
            List<String> params = switch (mode) {
                case 'k' -> FederationRelay.text(ch, "key") == null ? List.of("-k") : List.of("+k", FederationRelay.text(ch, "key"));
                case 'l' -> ch.path("limit").asInt(0) > 0 ? List.of("+l", Integer.toString(ch.path("limit").asInt())) : List.of("-l");
                default -> List.of((flags.indexOf(mode) >= 0 ? "+" : "-") + mode);
            };
            remote.mode(changes, name, null, params, change -> relay.modeTimes.offer(channel.foldedName(), mode, at), null);
        }
        // The mask lists have no conflict stamps: a netjoin adds the masks this side lacks (as IRC servers do).
        List<ModeChange> masks = new ArrayList<>();
        for (char mode : Channel.LIST_MODES.toCharArray()) {
            for (JsonNode mask : ch.path("lists").path(String.valueOf(mode))) {
                if (mask.isTextual() && !channel.maskList(mode).contains(mask.asText())) {
                    masks.add(new ModeChange(true, mode, mask.asText()));
                }
            }
        }
        if (!masks.isEmpty()) {
            remote.mode(changes, name, null, Modes.format(masks), change -> true, null);
        }
    }

    /** The remote user behind {@code nick@server} as known here, or (unknown) one who is in no channel. */
    private RemoteUser actor(String display) {
        RemoteUser u = known(display);
        Names.UserAddress a = Names.parseUser(display);
        return u != null ? u : new RemoteUser(a.nick(), a.server());
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

    /**
     * A server's state after a link (netjoin). It speaks for itself only: a burst listing a user of another
     * server, or a topic or mode change made elsewhere, is refused whole. Its members join by the rule
     * book's netjoin path (one refused member is skipped, counted and logged); its topic and modes are
     * taken by the conflict rules when {@link ChannelRules#netjoinMayAssert} allows.
     */
    private Rejection burst(Changes changes, JsonNode body, String origin, String source) {
        if (body == null || !body.isObject()) {
            return new Rejection("malformed", "malformed burst");
        }
        String foreign = foreignState(body, origin);
        if (foreign != null) {
            return new Rejection("foreign_state", "a burst speaks only for its own server: " + foreign);
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
                listed.add(Names.fold(nick));
                RemoteUser u = remote.user(nick);
                String presence = FederationRelay.text(m, "presence");
                if (presence != null) {
                    remote.presence(u, presence);
                }
                u.away(FederationRelay.text(m, "away"));
                Envelope join = new Envelope(null, null, "JOIN", nick, name, List.of(), null, origin, null);
                ChannelRules.Refusal refused = remote.join(changes, name, u, m.path("modes").asText(""),
                        FederationRelay.text(ch, "key"), ChannelRules.JoinPath.NETJOIN, join);
                if (refused != null) {
                    refusals.record(source, "burst " + name + " " + nick, Rejection.of(refused));
                }
            }
            Channel channel = core.state().channel(name);
            long topicMs = ch.path("topic_ms").asLong(0);
            String topic = FederationRelay.text(ch, "topic");
            if (channel != null && topicMs > 0 && topic != null && ChannelRules.netjoinMayAssert(channel, origin, true)) {
                String setter = FederationRelay.text(ch, "topic_setter");
                Envelope t = new Envelope(null, null, "TOPIC", setter, name, List.of(), Envelope.lines(List.of(topic)),
                        origin, null);
                remote.applyTopic(changes, channel, ChannelRules.topicText(topic), setter, clamp(topicMs, changes), t);
            }
            burstModes(changes, name, ch, origin);
        }
        if (origin.equals(source)) {
            for (Channel c : List.copyOf(core.state().channels())) {
                remote.resync(changes, origin, c.name(), originMembers.getOrDefault(c.foldedName(), Set.of()));
            }
        }
        return null;
    }

    /** What in a burst is not its origin's own (a member, the topic's setter, a mode change), or null. */
    private static String foreignState(JsonNode body, String origin) {
        for (JsonNode ch : body.path("channels")) {
            for (JsonNode m : ch.path("members")) {
                String nick = FederationRelay.text(m, "nick");
                Names.UserAddress a = nick == null ? null : Names.parseUser(nick);
                if (a == null || !a.isRemote() || !a.server().equals(origin) || !Names.isValidNick(a.nick())) {
                    return "member " + nick;
                }
            }
            String setter = FederationRelay.text(ch, "topic_setter");
            if (ch.path("topic_ms").asLong(0) > 0 && (setter == null || !setter.endsWith("@" + origin))) {
                return "topic set by " + setter;
            }
            for (JsonNode t : ch.path("mode_times")) {
                if (!origin.equals(FederationRelay.text(t, "server"))) {
                    return "mode change by " + FederationRelay.text(t, "server");
                }
            }
        }
        return null;
    }
}
