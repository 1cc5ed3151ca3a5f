package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A linked peer ({@link FakePeer} "mallory", which completed the real handshake with a valid link key) plays
 * a hostile operator against a running server "alpha": every attack is refused — alpha's state, as its users
 * see it through the HTTP API, is unchanged; the refusal is in the relay answer and in
 * {@code chatd_federation_events_refused_total} — and a legitimate event on the same link still flows.
 * Then one parameterized test runs every channel rule once through local commands and once through the
 * peer's events, and asserts the same answer.
 */
class FederationRulesTest {
    private static final String EVE = "eve@mallory";
    private static TestServer alpha;
    private static FakePeer mallory;
    private static Mailbox alice;
    private static Mailbox carol;
    private static final AtomicInteger channels = new AtomicInteger();

    @BeforeAll
    static void link() {
        alpha = TestServer.start(Map.of("SERVER_NAME", "alpha", "FEDERATION_KEY", FederationNet.KEY,
                "FEDERATION_POLICY", "allowlist", "ADMIN_TOKEN", "admin-alpha"));
        mallory = FakePeer.link(alpha.url(), "admin-alpha", "mallory");
        alice = user("alice");
        carol = user("carol");
    }

    @AfterAll
    static void stop() {
        if (alpha != null) {
            alpha.close();
        }
    }

    // ---------------------------------------------------------------- attacks

    @Test
    void a_remote_user_who_is_not_an_operator_here_cannot_kick_op_or_set_a_locked_topic() {
        String ch = channel();
        assertThat(outcome(mallory.event(EVE, "JOIN", ch, List.of(), null))).isEqualTo("ok");
        alice.drain();
        double before = refused("not_operator");

        assertThat(outcome(mallory.event(EVE, "KICK", ch, List.of("alice@alpha"), List.of("mine now")))).isEqualTo("482");
        assertThat(outcome(mallory.event(EVE, "MODE", ch, List.of("+o", EVE), null))).isEqualTo("482");
        assertThat(outcome(mallory.event(EVE, "MODE", ch, List.of("-o", "alice@alpha"), null))).isEqualTo("482");
        assertThat(outcome(mallory.event(EVE, "TOPIC", ch, List.of(), List.of("pwned")))).isEqualTo("482");

        assertThat(members(ch)).containsExactlyInAnyOrderEntriesOf(Map.of("alice", "o", EVE, ""));
        assertThat(topic(ch)).isEmpty();
        assertThat(refused("not_operator")).isEqualTo(before + 4);
        assertThat(alice.drain()).noneMatch(e -> EVE.equals(e.from()));
        stillFlows(ch);
    }

    @Test
    void in_a_batch_of_many_events_a_bad_signature_is_refused_alone_and_the_rest_arrive_in_order() {
        String ch = channel();
        assertThat(outcome(mallory.event(EVE, "JOIN", ch, List.of(), null))).isEqualTo("ok");
        alice.drain();
        int seen = alice.received().size();
        double before = refused("bad_signature");
        List<ObjectNode> events = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(mallory.event(EVE, "PRIVMSG", ch, List.of(), List.of("batched " + i)));
        }
        events.get(17).put("sig", events.get(18).path("sig").asText()); // another event's signature
        byte[] sig = chatd.protocol.Ed25519.decodeSignature(events.get(30).path("sig").asText());
        sig[40] ^= 1;
        events.get(30).put("sig", chatd.protocol.Ed25519.encodeSignature(sig)); // its own, altered

        JsonNode answer = mallory.send(events.toArray(ObjectNode[]::new));

        List<String> expected = new java.util.ArrayList<>();
        List<String> acceptedIds = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i != 17 && i != 30) {
                expected.add("batched " + i);
                acceptedIds.add(events.get(i).path("id").asText());
            }
        }
        assertThat(answer.path("accepted")).extracting(JsonNode::asText).containsExactlyElementsOf(acceptedIds);
        assertThat(answer.path("rejected")).extracting(r -> r.path("id").asText())
                .containsExactly(events.get(17).path("id").asText(), events.get(30).path("id").asText());
        assertThat(answer.path("rejected")).allSatisfy(r -> assertThat(r.path("reason").asText()).isEqualTo("bad signature"));
        alice.await("the last message of the batch", Mailbox.text("batched 39"));
        alice.drain();
        assertThat(alice.received().subList(seen, alice.received().size()).stream()
                .filter(e -> EVE.equals(e.from()) && e.command().equals("PRIVMSG")).map(Envelope::firstLine))
                .containsExactlyElementsOf(expected);
        assertThat(refused("bad_signature")).isEqualTo(before + 2);
    }

    @Test
    void remote_messages_and_joins_obey_the_channel_modes_as_this_server_knows_them() {
        String keyed = channel();
        send(alice, "MODE", keyed, "+k", "sesame");
        alice.drain();
        assertThat(outcome(mallory.event("zed@mallory", "PRIVMSG", keyed, List.of(), List.of("spam")))).isEqualTo("404");
        assertThat(outcome(join(EVE, keyed, null))).isEqualTo("475");
        assertThat(outcome(join(EVE, keyed, "guess"))).isEqualTo("475");
        String invite = channel();
        send(alice, "MODE", invite, "+i");
        assertThat(outcome(join(EVE, invite, null))).isEqualTo("473");
        String full = channel();
        send(alice, "MODE", full, "+l", "1");
        assertThat(outcome(join(EVE, full, null))).isEqualTo("471");
        String banned = channel();
        send(alice, "MODE", banned, "+b", "eve!*@*");
        assertThat(outcome(join(EVE, banned, null))).isEqualTo("474");

        for (String ch : List.of(keyed, invite, full, banned)) {
            assertThat(members(ch)).containsExactlyEntriesOf(Map.of("alice", "o"));
        }
        assertThat(alice.drain()).noneMatch(e -> e.from() != null && e.from().endsWith("@mallory"));
        assertThat(refused("cannot_send")).isPositive();
        assertThat(refused("bad_key")).isPositive();
        assertThat(refused("invite_only")).isPositive();
        assertThat(refused("channel_full")).isPositive();
        assertThat(refused("banned")).isPositive();
        // the key the user gave (the origin checked it and sends it along) lets them in
        assertThat(outcome(join(EVE, keyed, "sesame"))).isEqualTo("ok");
        stillFlows(keyed);
    }

    @Test
    void a_burst_speaks_only_for_its_own_server() {
        String ch = channel();
        double before = refused("foreign_state");
        ObjectNode others = burst(ch, List.of(member("bob@beta", "o"), member(EVE, "o")));
        assertThat(outcome(mallory.burst(others))).isEqualTo("a");
        ObjectNode topic = burst(ch, List.of(member(EVE, "")));
        ((ObjectNode) topic.get("channels").get(0)).put("topic", "not yours").put("topic_setter", "alice@alpha")
                .put("topic_ms", System.currentTimeMillis());
        assertThat(outcome(mallory.burst(topic))).isEqualTo("a");
        ObjectNode modes = burst(ch, List.of(member(EVE, "")));
        ((ObjectNode) modes.get("channels").get(0)).put("flags", "imnst").putObject("mode_times").putObject("i")
                .put("ms", System.currentTimeMillis()).put("server", "alpha");
        assertThat(outcome(mallory.burst(modes))).isEqualTo("a");

        assertThat(members(ch)).containsExactlyEntriesOf(Map.of("alice", "o"));
        assertThat(topic(ch)).isEmpty();
        assertThat(refused("foreign_state")).isEqualTo(before + 3);
        // its own user, claiming op in a channel that exists here: joins, without the op
        assertThat(outcome(mallory.burst(burst(ch, List.of(member(EVE, "o")))))).isEqualTo("ok");
        assertThat(members(ch)).containsExactlyInAnyOrderEntriesOf(Map.of("alice", "o", EVE, ""));
        stillFlows(ch);
    }

    @Test
    void a_burst_of_a_server_without_an_operator_in_the_channel_cannot_add_exceptions_or_bans() {
        String ch = channel();
        send(alice, "MODE", ch, "+b", "eve!*@*");
        ObjectNode lists = burst(ch, List.of(member("zed@mallory", "")));
        ObjectNode asserted = ((ObjectNode) lists.get("channels").get(0)).putObject("lists");
        asserted.putArray("e").add("eve!*@*");
        asserted.putArray("I").add("*!*@mallory");
        asserted.putArray("b").add("alice!*@*");
        assertThat(outcome(mallory.burst(lists))).isEqualTo("ok");
        assertThat(members(ch)).containsExactlyInAnyOrderEntriesOf(Map.of("alice", "o", "zed@mallory", ""));

        alice.drain();
        send(alice, "MODE", ch, "e");
        alice.awaitNumeric("349");
        send(alice, "MODE", ch, "b");
        alice.awaitNumeric("368");
        List<Envelope> lines = alice.received().stream()
                .filter(e -> e.params().size() > 1 && e.params().getFirst().equals(ch)).toList();
        assertThat(lines).noneMatch(e -> e.command().equals("348"));
        assertThat(lines).filteredOn(e -> e.command().equals("367")).extracting(e -> e.params().get(1)).containsExactly("eve!*@*");
        assertThat(outcome(join(EVE, ch, null))).isEqualTo("474");
    }

    @Test
    void a_timestamp_from_the_future_counts_as_at_most_thirty_seconds_ahead() {
        String ch = "#future-" + channels.incrementAndGet();
        ObjectNode creator = Json.MAPPER.createObjectNode().put("modes", "o");
        assertThat(outcome(mallory.event(EVE, "JOIN", ch, List.of(), null, creator, Instant.now()))).isEqualTo("ok");
        send(alice, "JOIN", ch);
        assertThat(outcome(mallory.event(EVE, "TOPIC", ch, List.of(), List.of("for ever"), null,
                Instant.parse("2100-01-01T00:00:00Z")))).isEqualTo("ok");
        alice.await("the topic", e -> e.command().equals("TOPIC") && e.bodyLines().contains("for ever"));
        alice.drain();
        send(alice, "TOPIC", ch);
        Envelope setAt = alice.awaitNumeric("333");
        long seconds = Long.parseLong(setAt.params().getLast());
        assertThat(seconds).isLessThanOrEqualTo(Instant.now().getEpochSecond() + 31);
        // an honest change a minute later wins over it
        assertThat(outcome(mallory.event(EVE, "TOPIC", ch, List.of(), List.of("later"), null,
                Instant.now().plusSeconds(60)))).isEqualTo("ok");
        assertThat(topic(ch)).isEqualTo("later");
    }

    @Test
    void malformed_mode_arguments_are_refused_with_their_numeric() {
        String ch = channel();
        assertThat(outcome(mallory.event(EVE, "JOIN", ch, List.of(), null))).isEqualTo("ok");
        send(alice, "MODE", ch, "+o", EVE);
        for (List<String> bad : List.of(List.of("+l", "0"), List.of("+l", "-5"), List.of("+l", "many"), List.of("+k", ""),
                List.of("+k", "two words"), List.of("+b", " "))) {
            assertThat(outcome(mallory.event(EVE, "MODE", ch, bad, null))).as("MODE %s", bad).isEqualTo("696");
        }
        assertThat(outcome(mallory.event(EVE, "MODE", ch, List.of("+o", "nobody@mallory"), null))).isEqualTo("401");
        assertThat(outcome(mallory.event(EVE, "MODE", ch, List.of("+o", "carol"), null))).isEqualTo("441");
        assertThat(outcome(mallory.event(EVE, "MODE", ch, List.of("+z"), null))).isEqualTo("472");
        assertThat(outcome(mallory.event(EVE, "MODE", ch, List.of("+o"), null))).isEqualTo("461");
        assertThat(refused("invalid_mode_param")).isGreaterThanOrEqualTo(6);

        alice.drain();
        send(alice, "MODE", ch);
        assertThat(alice.awaitNumeric("324").params()).containsExactly(ch, "+nt");
        assertThat(members(ch)).containsExactlyInAnyOrderEntriesOf(Map.of("alice", "o", EVE, "o"));
        assertThat(outcome(mallory.event(EVE, "MODE", ch, List.of("+m"), null))).isEqualTo("ok");
        alice.await("the legitimate MODE", e -> e.command().equals("MODE") && e.params().equals(List.of("+m")));
    }

    // ---------------------------------------------------------------- one rule book, two paths

    /** What the actor does, once the channel is set up. */
    enum Action { JOIN, PART, KICK_OP, TOPIC, MODE, PRIVMSG }

    /**
     * A channel rule: the actor is a member (and an op) or not, the operator then sets {@code modes}
     * ({@code %s} is the actor's nick, for bans), the actor does {@code action} with {@code args}.
     */
    record Rule(String name, String expected, boolean member, boolean op, List<List<String>> modes, Action action,
            List<String> args) {
        @Override
        public String toString() {
            return name + " → " + expected;
        }
    }

    static Stream<Rule> rules() {
        List<List<String>> none = List.of();
        return Stream.of(
                new Rule("KICK by a member who is not op", "482", true, false, none, Action.KICK_OP, List.of()),
                new Rule("KICK by a non-member", "442", false, false, none, Action.KICK_OP, List.of()),
                new Rule("KICK by an op", "ok", true, true, none, Action.KICK_OP, List.of()),
                new Rule("TOPIC +t by a member who is not op", "482", true, false, none, Action.TOPIC, List.of()),
                new Rule("TOPIC -t by a member", "ok", true, false, List.of(List.of("-t")), Action.TOPIC, List.of()),
                new Rule("TOPIC by a non-member", "442", false, false, List.of(List.of("-t")), Action.TOPIC, List.of()),
                new Rule("MODE by a member who is not op", "482", true, false, none, Action.MODE, List.of("+m")),
                new Rule("MODE by an op", "ok", true, true, none, Action.MODE, List.of("+m")),
                new Rule("MODE +l 0", "696", true, true, none, Action.MODE, List.of("+l", "0")),
                new Rule("MODE +l not a number", "696", true, true, none, Action.MODE, List.of("+l", "x")),
                new Rule("MODE +k with a space", "696", true, true, none, Action.MODE, List.of("+k", "a b")),
                new Rule("MODE +k empty", "696", true, true, none, Action.MODE, List.of("+k", "")),
                new Rule("a second MODE +k replaces the key", "ok", true, true, List.of(List.of("+k", "one")), Action.MODE,
                        List.of("+k", "two")),
                new Rule("MODE +o of nobody", "401", true, true, none, Action.MODE, List.of("+o", "nobody")),
                new Rule("MODE unknown letter", "472", true, true, none, Action.MODE, List.of("+z")),
                new Rule("PRIVMSG +n from outside", "404", false, false, none, Action.PRIVMSG, List.of()),
                new Rule("PRIVMSG -n from outside", "ok", false, false, List.of(List.of("-n")), Action.PRIVMSG, List.of()),
                new Rule("PRIVMSG +m without voice", "404", true, false, List.of(List.of("+m")), Action.PRIVMSG, List.of()),
                new Rule("PRIVMSG banned member", "404", true, false, List.of(List.of("+b", "%s!*@*")), Action.PRIVMSG, List.of()),
                new Rule("PRIVMSG member", "ok", true, false, none, Action.PRIVMSG, List.of()),
                new Rule("JOIN +k without key", "475", false, false, List.of(List.of("+k", "sesame")), Action.JOIN, List.of()),
                new Rule("JOIN +k with the key", "ok", false, false, List.of(List.of("+k", "sesame")), Action.JOIN,
                        List.of("sesame")),
                new Rule("JOIN +i", "473", false, false, List.of(List.of("+i")), Action.JOIN, List.of()),
                new Rule("JOIN +l full", "471", false, false, List.of(List.of("+l", "1")), Action.JOIN, List.of()),
                new Rule("JOIN banned", "474", false, false, List.of(List.of("+b", "%s!*@*")), Action.JOIN, List.of()),
                new Rule("JOIN banned with a ban exception", "ok", false, false,
                        List.of(List.of("+b", "%s!*@*"), List.of("+e", "%s!*@*")), Action.JOIN, List.of()),
                new Rule("PRIVMSG banned member with a ban exception", "ok", true, false,
                        List.of(List.of("+b", "*!*@*"), List.of("+e", "%s!*@*")), Action.PRIVMSG, List.of()),
                new Rule("JOIN +i with an invite exception", "ok", false, false,
                        List.of(List.of("+i"), List.of("+I", "%s!*@*")), Action.JOIN, List.of()),
                new Rule("JOIN +i with a ban exception only", "473", false, false,
                        List.of(List.of("+i"), List.of("+e", "%s!*@*")), Action.JOIN, List.of()),
                new Rule("JOIN banned with an invite exception only", "474", false, false,
                        List.of(List.of("+b", "%s!*@*"), List.of("+I", "%s!*@*")), Action.JOIN, List.of()),
                new Rule("MODE +e by a member who is not op", "482", true, false, none, Action.MODE, List.of("+e", "x!*@*")),
                new Rule("MODE +I by an op", "ok", true, true, none, Action.MODE, List.of("+I", "x!*@*")),
                new Rule("MODE +e with a space", "696", true, true, none, Action.MODE, List.of("+e", "a b")),
                new Rule("MODE +I blank", "696", true, true, none, Action.MODE, List.of("+I", " ")),
                new Rule("JOIN", "ok", false, false, none, Action.JOIN, List.of()),
                new Rule("PART a channel one is not on", "442", false, false, none, Action.PART, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void local_and_remote_paths_give_the_same_answer(Rule rule) {
        String local = local(rule, setUp(rule, "carol", "carol"));
        String remote = remote(rule, setUp(rule, EVE, "eve"));
        assertThat(remote).as("remote path").isEqualTo(local);
        assertThat(local).as("local path").isEqualTo(rule.expected());
    }

    /** A new channel with alice as its op, the actor in it as the rule says, then the rule's modes. */
    private static String setUp(Rule rule, String actor, String nick) {
        String ch = channel();
        if (rule.member()) {
            if (actor.equals("carol")) {
                send(carol, "JOIN", ch);
            } else {
                assertThat(outcome(join(actor, ch, null))).isEqualTo("ok");
            }
        }
        if (rule.op()) {
            send(alice, "MODE", ch, "+o", actor);
        }
        for (List<String> m : rule.modes()) {
            send(alice, "MODE", ch, m.stream().map(p -> p.formatted(nick)).toArray(String[]::new));
        }
        return ch;
    }

    /** The first error numeric carol gets for the action, or "ok". */
    private static String local(Rule rule, String ch) {
        carol.drain();
        List<String> args = rule.args();
        switch (rule.action()) {
            case JOIN -> send(carol, "JOIN", ch, args.toArray(String[]::new));
            case PART -> send(carol, "PART", ch);
            case KICK_OP -> send(carol, "KICK", ch, "alice");
            case TOPIC -> carol.api().send(new Envelope(null, null, "TOPIC", null, ch, List.of(), Envelope.lines(List.of("t")),
                    null, null));
            case MODE -> send(carol, "MODE", ch, args.toArray(String[]::new));
            case PRIVMSG -> carol.api().privmsg(ch, "hello");
        }
        return carol.drain().stream().map(Envelope::command).filter(c -> c.matches("[4-9]\\d\\d")).findFirst().orElse("ok");
    }

    /** The numeric alpha refused eve's event with, or "ok". */
    private static String remote(Rule rule, String ch) {
        List<String> args = rule.args();
        ObjectNode event = switch (rule.action()) {
            case JOIN -> join(EVE, ch, args.isEmpty() ? null : args.getFirst());
            case PART -> mallory.event(EVE, "PART", ch, List.of(), null);
            case KICK_OP -> mallory.event(EVE, "KICK", ch, List.of("alice@alpha"), List.of("out"));
            case TOPIC -> mallory.event(EVE, "TOPIC", ch, List.of(), List.of("t"));
            case MODE -> mallory.event(EVE, "MODE", ch, args.size() > 1 && args.getFirst().endsWith("o")
                    ? List.of(args.getFirst(), args.get(1) + "@mallory") : args, null);
            case PRIVMSG -> mallory.event(EVE, "PRIVMSG", ch, List.of(), List.of("hello"));
        };
        return outcome(event);
    }

    // ---------------------------------------------------------------- helpers

    private static Mailbox user(String nick) {
        ApiClient api = alpha.client();
        api.createSession(nick);
        Mailbox box = new Mailbox(api);
        box.drain();
        return box;
    }

    /** A new channel, created by alice (its op). */
    private static String channel() {
        String ch = "#c" + channels.incrementAndGet();
        send(alice, "JOIN", ch);
        return ch;
    }

    private static void send(Mailbox who, String command, String to, String... params) {
        who.api().send(new Envelope(null, null, command, null, to, Arrays.asList(params), null, null, null));
    }

    private static ObjectNode join(String who, String ch, String key) {
        ObjectNode state = Json.MAPPER.createObjectNode().put("modes", "");
        if (key != null) {
            state.put("key", key);
        }
        return mallory.event(who, "JOIN", ch, List.of(), null, state, Instant.now());
    }

    /** Sends one event alone: "ok", the refusal's numeric, or "a" + its label for a non-numeric refusal. */
    private static String outcome(ObjectNode event) {
        String result = FakePeer.outcome(mallory.send(event));
        return result.matches("\\d{3}|ok") ? result : "a";
    }

    private static ObjectNode burst(String ch, List<ObjectNode> members) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("servers");
        ObjectNode c = body.putArray("channels").addObject().put("name", ch).put("flags", "nt").put("limit", 0);
        c.putObject("mode_times");
        members.forEach(c.putArray("members")::add);
        return body;
    }

    private static ObjectNode member(String nick, String modes) {
        return Json.MAPPER.createObjectNode().put("nick", nick).put("modes", modes).put("presence", "online");
    }

    /** The channel's members as alice sees them: nick → prefix modes. */
    private static Map<String, String> members(String ch) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode m : alice.api().members(ch)) {
            out.put(m.path("nick").asText(), m.path("modes").asText());
        }
        return out;
    }

    private static String topic(String ch) {
        for (JsonNode c : alice.api().channels()) {
            if (c.path("name").asText().equalsIgnoreCase(ch)) {
                return c.path("topic").asText();
            }
        }
        throw new AssertionError("no channel " + ch);
    }

    /** {@code chatd_federation_events_refused_total{reason}} from /metrics (0 when not yet counted). */
    private static double refused(String reason) {
        String metrics = alpha.client().raw("GET", "/metrics", null, Map.of()).body();
        String prefix = "chatd_federation_events_refused_total{reason=\"" + reason + "\"";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** A legitimate message of the peer on the same link still reaches alice. */
    private static void stillFlows(String ch) {
        if (!members(ch).containsKey(EVE)) {
            assertThat(outcome(join(EVE, ch, null))).isEqualTo("ok");
        }
        String text = "legitimate " + ch;
        assertThat(outcome(mallory.event(EVE, "PRIVMSG", ch, List.of(), List.of(text)))).isEqualTo("ok");
        alice.await("the peer's legitimate message", Mailbox.text(text));
    }
}
