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
        ChildServer[] pair = FederationNet.linkedPair(Map.of("FEDERATION_OUTBOX_MAX", "" + MAX));
        alpha = pair[0];
        beta = pair[1];
        Mailbox[] users = FederationNet.sharedChannel(alpha, beta, "#bound");
        Mailbox alice = users[0];
        Mailbox bob = users[1];

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
