package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A peer's outbox is bounded (FEDERATION_OUTBOX_MAX): while the peer is down, the oldest events past the
 * bound are dropped, and that shows on the status endpoint and in the metrics; once the peer is back it
 * gets the newest events, in order.
 */
class FederationOutboxBoundTest {
    private static final int MAX = 50;
    static ChildServer alpha;
    static ChildServer beta;

    @AfterAll
    static void stop() {
        if (alpha != null) alpha.close();
        if (beta != null) beta.close();
    }

    @Test
    void a_peer_away_loses_the_oldest_events_past_the_bound_visibly() throws Exception {
        int pa = ChildServer.freePort();
        int pb = ChildServer.freePort();
        var fa = CompletableFuture.supplyAsync(() -> FederationNet.server("alpha", "beta=http://127.0.0.1:" + pb,
                Map.of("PORT", "" + pa, "FEDERATION_OUTBOX_MAX", "" + MAX)));
        var fb = CompletableFuture.supplyAsync(() -> FederationNet.server("beta", "alpha=http://127.0.0.1:" + pa, Map.of("PORT", "" + pb)));
        alpha = fa.join();
        beta = fb.join();
        FederationNet.awaitUp(alpha, "beta");
        FederationNet.awaitUp(beta, "alpha");

        Mailbox alice = FederationNet.user(alpha, "alice");
        Mailbox bob = FederationNet.user(beta, "bob");
        alice.api().send("JOIN", "#bound");
        alice.awaitNumeric("366");
        Wait.until("beta knows #bound", Duration.ofSeconds(10), () -> {
            try {
                return FederationNet.hasMember(bob, "#bound", "alice@alpha");
            } catch (RuntimeException e) {
                return false;
            }
        });
        bob.api().send("JOIN", "#bound");
        alice.await("bob@beta joined", e -> e.command().equals("JOIN") && "bob@beta".equals(e.from()));

        beta.kill();
        for (int i = 0; i < 200; i++) {
            alice.api().privmsg("#bound", "m" + i);
        }
        Wait.until("the outbox held to its bound, the overflow counted", Duration.ofSeconds(30), () -> {
            var peer = FederationNet.peer(alpha, "beta");
            return peer.path("dropped").asLong() >= 200 - MAX && peer.path("queued").asLong() <= MAX;
        });
        String metrics = alpha.client().raw("GET", "/metrics", null, Map.of()).body();
        assertThat(metrics).containsPattern("chatd_federation_outbox_dropped (1[5-9]\\d|[2-9]\\d\\d)\\.0");

        beta.restart();
        FederationNet.awaitUp(alpha, "beta");
        bob.await("m199", Mailbox.text("m199"), Duration.ofSeconds(30));
        List<String> texts = new ArrayList<>();
        for (Envelope e : bob.received()) {
            if (e.command().equals("PRIVMSG") && e.firstLine() != null && e.firstLine().matches("m\\d+")) {
                texts.add(e.firstLine());
            }
        }
        assertThat(texts).as("only the newest, in order").doesNotContain("m0").endsWith("m198", "m199").hasSizeLessThanOrEqualTo(MAX);
    }
}
