package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three server processes: first a chain alpha–beta–gamma (alpha and gamma are not linked: messages
 * cross beta, still signed by their origin), then the operators link alpha–gamma at run time, making
 * a triangle: every message still arrives exactly once everywhere (dedup).
 */
class FederationTopologyTest {
    static ChildServer alpha;
    static ChildServer beta;
    static ChildServer gamma;

    @BeforeAll
    static void chain() throws Exception {
        int pa = ChildServer.freePort();
        int pb = ChildServer.freePort();
        int pg = ChildServer.freePort();
        String a = "http://127.0.0.1:" + pa;
        String b = "http://127.0.0.1:" + pb;
        String g = "http://127.0.0.1:" + pg;
        var fa = CompletableFuture.supplyAsync(() -> FederationNet.server("alpha", "beta=" + b, Map.of("PORT", "" + pa)));
        var fb = CompletableFuture.supplyAsync(() -> FederationNet.server("beta", "alpha=" + a + ",gamma=" + g, Map.of("PORT", "" + pb)));
        var fg = CompletableFuture.supplyAsync(() -> FederationNet.server("gamma", "beta=" + b, Map.of("PORT", "" + pg)));
        alpha = fa.join();
        beta = fb.join();
        gamma = fg.join();
        FederationNet.awaitUp(alpha, "beta");
        FederationNet.awaitUp(beta, "gamma");
        FederationNet.awaitUp(gamma, "beta");
    }

    @AfterAll
    static void stop() {
        for (ChildServer s : new ChildServer[] {alpha, beta, gamma}) {
            if (s != null) s.close();
        }
    }

    @Test
    void chain_then_triangle_deliver_every_message_exactly_once() {
        Mailbox ann = FederationNet.user(alpha, "ann");
        Mailbox ben = FederationNet.user(beta, "ben");
        Mailbox cat = FederationNet.user(gamma, "cat");
        ann.api().send("JOIN", "#net");
        ann.awaitNumeric("366");
        Wait.until("gamma knows ann@alpha in #net", Duration.ofSeconds(15), () -> members(cat, "#net", "ann@alpha"));
        ben.api().send("JOIN", "#net");
        cat.api().send("JOIN", "#net");
        ann.await("cat@gamma joined", e -> e.command().equals("JOIN") && "cat@gamma".equals(e.from()));
        ann.await("ben@beta joined", e -> e.command().equals("JOIN") && "ben@beta".equals(e.from()));

        // chain: alpha -> beta -> gamma
        ann.api().privmsg("#net", "across the chain");
        Envelope got = cat.await("ann's message through beta", Mailbox.text("across the chain"));
        assertThat(got.from()).isEqualTo("ann@alpha");
        assertThat(got.origin()).isEqualTo("alpha");
        cat.api().privmsg("ann@alpha", "dm through beta");
        ann.await("DM from cat@gamma through beta", Mailbox.text("dm through beta"));
        assertThat(FederationNet.peer(alpha, "gamma")).isNull();

        // triangle: link alpha and gamma directly
        FederationNet.addLink(alpha, "gamma", gamma.url());
        FederationNet.addLink(gamma, "alpha", alpha.url());
        FederationNet.awaitUp(alpha, "gamma");
        FederationNet.awaitUp(gamma, "alpha");

        List<Mailbox> boxes = List.of(ann, ben, cat);
        for (int i = 0; i < 3; i++) {
            boxes.get(i).api().privmsg("#net", "tri " + i);
        }
        ann.api().privmsg("#net", "last");
        for (Mailbox box : boxes) {
            box.await("last", Mailbox.text("last"));
            box.await("tri 2", Mailbox.text("tri 2"));
        }
        // anything late would arrive by now: a marker sent after everything else must come after them
        ben.api().privmsg("#net", "marker");
        for (Mailbox box : boxes) {
            box.await("marker", Mailbox.text("marker"));
            box.drain();
            for (String text : List.of("tri 0", "tri 1", "tri 2", "last", "across the chain")) {
                assertThat(box.received().stream().filter(Mailbox.text(text)).count())
                        .as(text + " at " + box.api().baseUrl()).isEqualTo(1);
            }
        }
    }

    private static boolean members(Mailbox box, String channel, String nick) {
        try {
            return FederationNet.hasMember(box, channel, nick);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
