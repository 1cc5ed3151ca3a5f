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
 * kill -9 of the receiving server while the sender keeps talking, then kill -9 of the sender too:
 * the durable outbox keeps every event, the links come back on their own, and the receiver's user gets
 * all 200 messages in order, none twice. Runs on PostgreSQL too when CHATD_TEST_PG_URL is set.
 */
class FederationDurabilityTest {
    static ChildServer alpha;
    static ChildServer beta;

    @AfterAll
    static void stop() {
        if (alpha != null) alpha.close();
        if (beta != null) beta.close();
    }

    @Test
    void peer_down_queues_then_delivers_all_in_order_exactly_once() throws Exception {
        ChildServer[] pair = FederationNet.linkedPair(Map.of());
        alpha = pair[0];
        beta = pair[1];
        Mailbox[] users = FederationNet.sharedChannel(alpha, beta, "#dur");
        Mailbox alice = users[0];
        Mailbox bob = users[1];

        beta.kill();
        for (int i = 0; i < 200; i++) {
            alice.api().privmsg("#dur", "m" + i);
        }
        Wait.until("alpha sees beta down", Duration.ofSeconds(20), () -> !FederationNet.up(alpha, "beta"));
        assertThat(FederationNet.peer(alpha, "beta").path("queued").asLong()).isGreaterThanOrEqualTo(200);

        alpha.kill();
        alpha.restart();
        beta.restart();
        FederationNet.awaitUp(alpha, "beta");
        FederationNet.awaitUp(beta, "alpha");

        bob.await("m199", Mailbox.text("m199"), Duration.ofSeconds(30));
        bob.api().privmsg("#dur", "after");
        alice.await("bob's message after the restarts", Mailbox.text("after"), Duration.ofSeconds(20));
        bob.await("own echo", Mailbox.text("after"));
        List<String> texts = new ArrayList<>();
        for (Envelope e : bob.received()) {
            if (e.command().equals("PRIVMSG") && e.firstLine() != null && e.firstLine().matches("m\\d+")) {
                texts.add(e.firstLine());
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("m" + i);
        }
        assertThat(texts).containsExactlyElementsOf(expected);
        Wait.until("alpha's queue for beta drained", Duration.ofSeconds(10),
                () -> FederationNet.peer(alpha, "beta").path("queued").asLong() == 0);
    }
}
