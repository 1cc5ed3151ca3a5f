package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real server processes, alpha and beta, each listing the other in FEDERATION_PEERS (so they dial
 * at the same moment): they converge on one link, and users on each side talk as on one server.
 */
class FederationTwoServersTest {
    static ChildServer alpha;
    static ChildServer beta;

    @BeforeAll
    static void link() throws Exception {
        int pa = ChildServer.freePort();
        int pb = ChildServer.freePort();
        alpha = FederationNet.server("alpha", "beta=http://127.0.0.1:" + pb, Map.of("PORT", Integer.toString(pa)));
        beta = FederationNet.server("beta", "alpha=http://127.0.0.1:" + pa, Map.of("PORT", Integer.toString(pb)));
        FederationNet.awaitUp(alpha, "beta");
        FederationNet.awaitUp(beta, "alpha");
    }

    @AfterAll
    static void stop() {
        if (alpha != null) alpha.close();
        if (beta != null) beta.close();
    }

    @Test
    void status_lists_each_peer_without_secrets() {
        JsonNode status = FederationNet.status(alpha);
        assertThat(status.path("server").asText()).isEqualTo("alpha");
        assertThat(status.path("policy").asText()).isEqualTo("allowlist");
        JsonNode beta = FederationNet.peer(alpha, "beta");
        assertThat(beta.path("state").asText()).isEqualTo("up");
        assertThat(beta.has("since")).isTrue();
        assertThat(beta.has("last_seen")).isTrue();
        assertThat(beta.path("queued").isNumber()).isTrue();
        assertThat(status.toString()).doesNotContain(FederationNet.KEY);
    }

    @Test
    void users_on_both_sides_share_a_channel_and_talk_both_ways() {
        Mailbox alice = FederationNet.user(alpha, "alice");
        Mailbox bob = FederationNet.user(beta, "bob");
        alice.api().send("JOIN", "#general");
        alice.awaitNumeric("366");
        Wait.until("beta knows alice in #general", Duration.ofSeconds(10),
                () -> FederationNet.seesMember(bob, "#general", "alice@alpha"));
        bob.api().send("JOIN", "#general");
        Envelope names = bob.await("353 with alice@alpha", e -> e.command().equals("353") && e.bodyLines().toString().contains("alice@alpha"));
        assertThat(names.bodyLines().getFirst()).doesNotContain("@bob");
        alice.await("JOIN of bob@beta", e -> e.command().equals("JOIN") && "bob@beta".equals(e.from()));

        alice.api().privmsg("#general", "hello from alpha");
        Envelope got = bob.await("alice's message", Mailbox.text("hello from alpha"));
        assertThat(got.from()).isEqualTo("alice@alpha");
        assertThat(got.origin()).isEqualTo("alpha");
        assertThat(got.to()).isEqualTo("#general");

        bob.api().privmsg("#general", "hello from beta");
        Envelope back = alice.await("bob's message", Mailbox.text("hello from beta"));
        assertThat(back.from()).isEqualTo("bob@beta");
        assertThat(back.origin()).isEqualTo("beta");

        assertThat(FederationNet.hasMember(alice, "#general", "bob@beta")).isTrue();
        assertThat(FederationNet.hasMember(bob, "#general", "alice@alpha")).isTrue();
        for (JsonNode m : alice.api().members("#general")) {
            if (m.path("nick").asText().equals("bob@beta")) {
                assertThat(m.path("server").asText()).isEqualTo("beta");
                assertThat(m.path("presence").asText()).isEqualTo("online");
            }
        }

        // topic set on alpha (alice created the channel, so she is op) is seen on beta
        alice.api().send("TOPIC", "#general", "federated topic");
        Envelope topic = bob.await("TOPIC", Mailbox.command("TOPIC", "#general"));
        assertThat(topic.bodyLines()).containsExactly("federated topic");
        assertThat(topic.from()).isEqualTo("alice@alpha");

        // AWAY on beta shows in WHOIS on alpha
        bob.api().send("AWAY", null, "gone fishing");
        Wait.until("alpha sees bob@beta away", Duration.ofSeconds(10), () -> {
            alice.api().send("WHOIS", "bob@beta");
            alice.awaitNumeric("318");
            return alice.received().stream().anyMatch(e -> e.command().equals("301") && e.bodyLines().contains("gone fishing"));
        });

        // PART propagates
        bob.api().send("PART", "#general", "bye");
        alice.await("PART of bob@beta", e -> e.command().equals("PART") && "bob@beta".equals(e.from()));
        Wait.until("bob@beta gone from alpha's members", Duration.ofSeconds(5),
                () -> !FederationNet.hasMember(alice, "#general", "bob@beta"));
    }

    @Test
    void direct_messages_both_ways_and_a_local_namesake_gets_only_its_own() {
        Mailbox carol = FederationNet.user(alpha, "carol");
        Mailbox dave = FederationNet.user(beta, "dave");
        Mailbox localDave = FederationNet.user(alpha, "dave");
        carol.api().send("JOIN", "#dm");
        dave.api().send("JOIN", "#dm");
        carol.await("dave@beta joined", e -> e.command().equals("JOIN") && "dave@beta".equals(e.from()));

        carol.api().privmsg("dave@beta", "psst remote dave");
        Envelope dm = dave.await("DM from carol@alpha", Mailbox.text("psst remote dave"));
        assertThat(dm.from()).isEqualTo("carol@alpha");
        assertThat(dm.to()).isEqualTo("dave");

        dave.api().privmsg("carol@alpha", "hi carol");
        Envelope reply = carol.await("DM from dave@beta", Mailbox.text("hi carol"));
        assertThat(reply.from()).isEqualTo("dave@beta");
        assertThat(reply.to()).isEqualTo("carol");

        carol.api().privmsg("dave", "psst local dave");
        localDave.await("local DM", Mailbox.text("psst local dave"));
        dave.drain();
        assertThat(dave.received()).noneMatch(Mailbox.text("psst local dave"));
        localDave.drain();
        assertThat(localDave.received()).noneMatch(Mailbox.text("psst remote dave"));
    }

    @Test
    void metrics_show_relayed_batches_and_group_commits() {
        Mailbox mia = FederationNet.user(alpha, "mia");
        Mailbox noah = FederationNet.user(beta, "noah");
        mia.api().send("JOIN", "#metrics");
        mia.awaitNumeric("366");
        Wait.until("beta knows mia in #metrics", Duration.ofSeconds(10), () -> FederationNet.seesMember(noah, "#metrics", "mia@alpha"));
        noah.api().send("JOIN", "#metrics");
        mia.await("JOIN of noah@beta", e -> e.command().equals("JOIN") && "noah@beta".equals(e.from()));
        double eventsBefore = metric(beta, "chatd_federation_relay_events_total");
        double batchesBefore = metric(beta, "chatd_federation_relay_batches_total");
        double commitsBefore = metric(alpha, "chatd_journal_commits_total");
        double committedBefore = metric(alpha, "chatd_journal_batches_total");

        for (int i = 0; i < 5; i++) {
            mia.api().privmsg("#metrics", "counted " + i);
        }
        noah.await("the last message", Mailbox.text("counted 4"));

        double events = metric(beta, "chatd_federation_relay_events_total") - eventsBefore;
        double batches = metric(beta, "chatd_federation_relay_batches_total") - batchesBefore;
        assertThat(events).as("events relayed to beta").isGreaterThanOrEqualTo(5);
        assertThat(batches).as("relay batches beta took").isBetween(1.0, events);
        double commits = metric(alpha, "chatd_journal_commits_total") - commitsBefore;
        assertThat(commits).as("alpha's group commits").isBetween(1.0, metric(alpha, "chatd_journal_batches_total") - committedBefore);
        assertThat(metric(alpha, "chatd_journal_commit_seconds_total")).isPositive();
    }

    /** One unlabelled sample of the server's Prometheus metrics. */
    private static double metric(ChildServer s, String name) {
        String text = s.client().raw("GET", "/metrics", null, Map.of()).body();
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(name + " in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
