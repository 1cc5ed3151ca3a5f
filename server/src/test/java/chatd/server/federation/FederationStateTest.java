package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Channel state across two server processes: alpha runs the {@code open} policy and lists no peers,
 * beta lists alpha — so the link itself is the open policy at work. Then KICK, NICK and MODE between
 * the servers as users see them, and last a kill -9 of alpha: it still knows its remote members the
 * moment it is back (they were persisted with the events that made them members).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationStateTest {
    static ChildServer alpha;
    static ChildServer beta;

    @BeforeAll
    static void link() throws Exception {
        int pa = ChildServer.freePort();
        int pb = ChildServer.freePort();
        var fa = CompletableFuture.supplyAsync(() -> FederationNet.server("alpha", null,
                Map.of("PORT", "" + pa, "FEDERATION_POLICY", "open")));
        var fb = CompletableFuture.supplyAsync(() -> FederationNet.server("beta", "alpha=http://127.0.0.1:" + pa,
                Map.of("PORT", "" + pb)));
        alpha = fa.join();
        beta = fb.join();
    }

    @AfterAll
    static void stop() {
        if (alpha != null) alpha.close();
        if (beta != null) beta.close();
    }

    @Test
    @Order(1)
    void open_policy_links_a_server_it_does_not_list() {
        FederationNet.awaitUp(beta, "alpha");
        FederationNet.awaitUp(alpha, "beta");
        assertThat(FederationNet.status(alpha).path("policy").asText()).isEqualTo("open");
    }

    @Test
    @Order(2)
    void modes_set_on_one_side_are_effective_on_the_other() {
        FederationNet.awaitUp(alpha, "beta");
        Mailbox alice = FederationNet.user(alpha, "alice");
        Mailbox bob = FederationNet.user(beta, "bob");
        Mailbox carol = FederationNet.user(alpha, "carol");
        joinShared(alice, bob, "#ops");

        // +m: bob (unvoiced) is refused by his own server; +v lets him speak
        mode(alice, "#ops", "+m");
        bob.next("+m on beta", e -> isMode(e, "alice@alpha", "+m"));
        bob.api().privmsg("#ops", "muted?");
        bob.awaitNumeric("404");
        mode(alice, "#ops", "+v", "bob@beta");
        bob.next("+v on beta", e -> isMode(e, "alice@alpha", "+v", "bob"));
        assertThat(modesOf(bob, "#ops", "bob")).isEqualTo("v");
        bob.api().privmsg("#ops", "voiced now");
        alice.await("bob's voiced message", Mailbox.text("voiced now"));

        // +o: bob is op on beta too, and sets +k there; the key holds on alpha
        mode(alice, "#ops", "+o", "bob@beta");
        bob.next("+o on beta", e -> isMode(e, "alice@alpha", "+o", "bob"));
        mode(bob, "#ops", "+k", "sesame");
        alice.next("+k from beta", e -> isMode(e, "bob@beta", "+k", "sesame"));
        carol.api().send(new Envelope(null, null, "JOIN", null, "#ops", List.of("wrong"), null, null, null));
        carol.next("475 on alpha", e -> e.command().equals("475"));
        carol.api().send(new Envelope(null, null, "JOIN", null, "#ops", List.of("sesame"), null, null, null));
        carol.next("carol in with the key", e -> e.command().equals("JOIN") && "carol".equals(e.from()));

        // -o: +t (on by default) now keeps bob from setting the topic on his own server
        mode(alice, "#ops", "-o", "bob@beta");
        bob.next("-o on beta", e -> isMode(e, "alice@alpha", "-o", "bob"));
        bob.api().send("TOPIC", "#ops", "bob's topic");
        bob.awaitNumeric("482");
        mode(alice, "#ops", "-t");
        bob.next("-t on beta", e -> isMode(e, "alice@alpha", "-t"));
        bob.api().send("TOPIC", "#ops", "bob's topic");
        alice.await("bob's TOPIC", e -> e.command().equals("TOPIC") && "bob@beta".equals(e.from()));
    }

    @Test
    @Order(3)
    void nick_and_kick_cross_servers() {
        FederationNet.awaitUp(alpha, "beta");
        Mailbox ann = FederationNet.user(alpha, "ann");
        Mailbox ben = FederationNet.user(beta, "ben");
        Mailbox bea = FederationNet.user(beta, "bea");
        joinShared(ann, ben, "#nk");
        bea.api().send("JOIN", "#nk");
        ann.await("bea@beta joined", e -> e.command().equals("JOIN") && "bea@beta".equals(e.from()));

        // NICK on beta: alpha sees NICK from ben@beta to benny, and its member list follows
        ben.api().send("NICK", null, "benny");
        Envelope nick = ann.await("NICK of ben@beta", e -> e.command().equals("NICK"));
        assertThat(nick.from()).isEqualTo("ben@beta");
        assertThat(nick.bodyLines()).containsExactly("benny");
        assertThat(FederationNet.hasMember(ann, "#nk", "benny@beta")).isTrue();
        assertThat(FederationNet.hasMember(ann, "#nk", "ben@beta")).isFalse();
        ben.api().privmsg("#nk", "renamed");
        assertThat(ann.await("message of benny@beta", Mailbox.text("renamed")).from()).isEqualTo("benny@beta");

        // KICK by alpha's op: benny's own client sees it, and he is gone on both sides
        ann.api().send(new Envelope(null, null, "KICK", null, "#nk", List.of("benny@beta"), Envelope.lines(List.of("out")),
                null, null));
        Envelope kick = ben.await("KICK on beta", Mailbox.command("KICK", "#nk"));
        assertThat(kick.from()).isEqualTo("ann@alpha");
        assertThat(kick.params()).containsExactly("benny");
        bea.await("bea sees the KICK", Mailbox.command("KICK", "#nk"));
        assertThat(FederationNet.hasMember(ann, "#nk", "benny@beta")).isFalse();
        assertThat(FederationNet.hasMember(bea, "#nk", "benny")).isFalse();
        assertThat(ben.api().state().path("channels").toString()).doesNotContain("#nk");
        ann.api().privmsg("#nk", "after the kick");
        bea.await("bea still gets messages", Mailbox.text("after the kick"));
        ben.drain();
        assertThat(ben.received()).noneMatch(Mailbox.text("after the kick"));
    }

    @Test
    @Order(4)
    void a_restarted_server_remembers_its_remote_members() {
        FederationNet.awaitUp(alpha, "beta");
        Mailbox dan = FederationNet.user(alpha, "dan");
        Mailbox eve = FederationNet.user(beta, "eve");
        joinShared(dan, eve, "#persist");
        mode(dan, "#persist", "+v", "eve@beta");
        eve.await("+v on beta", e -> isMode(e, "dan@alpha", "+v", "eve"));
        eve.api().send("AWAY", null, "brb");
        Wait.until("alpha sees eve@beta away", Duration.ofSeconds(10), () -> {
            JsonNode m = member(dan, "#persist", "eve@beta");
            return m != null && m.path("away").asText("").equals("brb");
        });

        // members read state before its batch commits; a command answered after this one was committed
        // later, so the away is on disk before the kill
        dan.api().privmsg("#persist", "before the restart");

        alpha.kill();
        alpha.restart();
        // at once, before the link is back: eve@beta is still a member (unreachable until the link is up)
        JsonNode remembered = member(dan, "#persist", "eve@beta");
        assertThat(remembered).isNotNull();
        assertThat(remembered.path("modes").asText()).isEqualTo("v");
        assertThat(remembered.path("away").asText()).isEqualTo("brb");
        assertThat(remembered.path("presence").asText()).isIn("unreachable", "away");
        dan.api().privmsg("#persist", "first words after the restart");
        eve.await("dan's message sent right after alpha's restart", Mailbox.text("first words after the restart"),
                Duration.ofSeconds(30));
        // the link admitted under the open policy was kept: alpha dials beta itself after the restart
        FederationNet.awaitUp(alpha, "beta");
        Wait.until("eve@beta reachable again", Duration.ofSeconds(10), () -> {
            JsonNode m = member(dan, "#persist", "eve@beta");
            return m != null && m.path("presence").asText().equals("away");
        });
        eve.api().privmsg("#persist", "welcome back");
        dan.await("eve's answer", Mailbox.text("welcome back"));
    }

    /** {@code op} creates {@code channel}; {@code other} (on the other server) joins once it is known there. */
    private static void joinShared(Mailbox op, Mailbox other, String channel) {
        op.api().send("JOIN", channel);
        op.awaitNumeric("366");
        Wait.until("the other server knows " + channel, Duration.ofSeconds(10), () -> {
            try {
                return other.api().members(channel).size() > 0;
            } catch (RuntimeException e) {
                return false;
            }
        });
        other.api().send("JOIN", channel);
        String joiner = other.api().state().path("nick").asText();
        op.await(joiner + " joined", e -> e.command().equals("JOIN") && e.from() != null && e.from().startsWith(joiner + "@"));
        other.await("own JOIN", Mailbox.command("JOIN", channel));
    }

    private static void mode(Mailbox who, String channel, String... params) {
        who.api().send(new Envelope(null, null, "MODE", null, channel, List.of(params), null, null, null));
    }

    private static boolean isMode(Envelope e, String from, String... params) {
        return e.command().equals("MODE") && from.equals(e.from()) && e.params().equals(List.of(params));
    }

    private static JsonNode member(Mailbox box, String channel, String nick) {
        for (JsonNode m : box.api().members(channel)) {
            if (m.path("nick").asText().equalsIgnoreCase(nick)) {
                return m;
            }
        }
        return null;
    }

    private static String modesOf(Mailbox box, String channel, String nick) {
        JsonNode m = member(box, channel, nick);
        return m == null ? null : m.path("modes").asText();
    }
}
