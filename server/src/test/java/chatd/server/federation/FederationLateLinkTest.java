package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A burst speaks only for its own server, so a server that links later learns the users of servers it is
 * not linked to from those servers' own bursts, relayed and signed (FEDERATION.md, "Burst"): gamma links
 * to alpha only, and still sees beta's op, topic, modes and mask lists (ban, ban exception, invite exception)
 * in a channel.
 */
class FederationLateLinkTest {

    @Test
    void a_server_that_links_later_learns_each_server_s_users_status_and_topic_from_its_own_burst() throws Exception {
        int pa = ChildServer.freePort();
        int pb = ChildServer.freePort();
        int pg = ChildServer.freePort();
        var fa = CompletableFuture.supplyAsync(() -> FederationNet.server("alpha", "beta=http://127.0.0.1:" + pb, Map.of("PORT", "" + pa)));
        var fb = CompletableFuture.supplyAsync(() -> FederationNet.server("beta", "alpha=http://127.0.0.1:" + pa, Map.of("PORT", "" + pb)));
        try (ChildServer alpha = fa.join(); ChildServer beta = fb.join()) {
            FederationNet.awaitUp(alpha, "beta");
            Mailbox alice = FederationNet.user(alpha, "alice");
            Mailbox bob = FederationNet.user(beta, "bob");
            bob.api().send("JOIN", "#late");
            bob.awaitNumeric("366");
            Wait.until("alpha knows bob@beta in #late", Duration.ofSeconds(10), () -> members(alice, "#late").containsKey("bob@beta"));
            alice.api().send("JOIN", "#late");
            bob.api().send("TOPIC", "#late", "set on beta");
            bob.api().send(new Envelope(null, null, "MODE", null, "#late", List.of("+m"), null, null, null));
            alice.await("beta's MODE", e -> e.command().equals("MODE") && e.params().equals(List.of("+m")));
            // a ban that would keep gamma's cat out, and the exception that lets cat in: both reach gamma in beta's burst
            bob.api().send(new Envelope(null, null, "MODE", null, "#late", List.of("+beI", "cat!*@*", "cat!*@gamma", "*!*@gamma"),
                    null, null, null));
            alice.await("beta's MODE +beI", e -> e.command().equals("MODE") && e.params().getFirst().equals("+beI"));

            try (ChildServer gamma = FederationNet.server("gamma", "alpha=http://127.0.0.1:" + pa, Map.of("PORT", "" + pg))) {
                FederationNet.addLink(alpha, "gamma", "http://127.0.0.1:" + pg);
                FederationNet.awaitUp(gamma, "alpha");
                Mailbox cat = FederationNet.user(gamma, "cat");
                Wait.until("gamma knows #late's members with their status", Duration.ofSeconds(20),
                        () -> members(cat, "#late").equals(Map.of("alice@alpha", "", "bob@beta", "o")));
                Wait.until("gamma has beta's topic", Duration.ofSeconds(10), () -> "set on beta".equals(topic(cat, "#late")));

                cat.api().send(new Envelope(null, null, "MODE", null, "#late", List.of("b"), null, null, null));
                assertThat(cat.awaitNumeric("367").params()).containsExactly("#late", "cat!*@*");
                cat.api().send(new Envelope(null, null, "MODE", null, "#late", List.of("e"), null, null, null));
                assertThat(cat.awaitNumeric("348").params()).containsExactly("#late", "cat!*@gamma");
                cat.api().send(new Envelope(null, null, "MODE", null, "#late", List.of("I"), null, null, null));
                assertThat(cat.awaitNumeric("346").params()).containsExactly("#late", "*!*@gamma");
                cat.api().send("JOIN", "#late");
                cat.awaitNumeric("366");
                Wait.until("beta knows cat@gamma in #late", Duration.ofSeconds(10), () -> members(bob, "#late").containsKey("cat@gamma"));
                // beta's op status counts on gamma: bob may voice cat, and cat then speaks in the +m channel
                bob.api().send(new Envelope(null, null, "MODE", null, "#late", List.of("+v", "cat@gamma"), null, null, null));
                cat.await("+v from bob@beta", e -> e.command().equals("MODE") && e.params().equals(List.of("+v", "cat")));
                cat.api().privmsg("#late", "hello from gamma");
                bob.await("cat's message through alpha", Mailbox.text("hello from gamma"), Duration.ofSeconds(20));
            }
        }
    }

    private static Map<String, String> members(Mailbox box, String channel) {
        Map<String, String> out = new HashMap<>();
        try {
            for (JsonNode m : box.api().members(channel)) {
                out.put(m.path("nick").asText(), m.path("modes").asText());
            }
        } catch (RuntimeException e) {
            // the channel is not known there yet
        }
        return out;
    }

    private static String topic(Mailbox box, String channel) {
        for (JsonNode c : box.api().channels()) {
            if (c.path("name").asText().equalsIgnoreCase(channel)) {
                return c.path("topic").asText();
            }
        }
        return null;
    }
}
