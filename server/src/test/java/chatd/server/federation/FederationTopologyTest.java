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
 * Three server processes: first a chain alpha–beta–gamma (alpha and gamma are not linked: messages
 * cross beta, still signed by their origin); then a split — beta is killed — during which both sides set
 * a topic, and after beta is back every server shows the newest; then the operators link alpha–gamma
 * at run time, making a triangle: every message still arrives exactly once everywhere (dedup).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationTopologyTest {
    static ChildServer alpha;
    static ChildServer beta;
    static ChildServer gamma;
    static Mailbox ann;
    static Mailbox ben;
    static Mailbox cat;

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
    @Order(1)
    void a_chain_carries_messages_through_the_middle_signed_by_their_origin() {
        ann = FederationNet.user(alpha, "ann");
        ben = FederationNet.user(beta, "ben");
        cat = FederationNet.user(gamma, "cat");
        ann.api().send("JOIN", "#net");
        ann.awaitNumeric("366");
        Wait.until("gamma knows ann@alpha in #net", Duration.ofSeconds(15), () -> FederationNet.seesMember(cat, "#net", "ann@alpha"));
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
    }

    @Test
    @Order(2)
    void topics_set_on_both_sides_of_a_split_converge_to_the_newest() {
        // ann (op, alpha) makes cat@gamma an op so that both sides may set the topic (+t)
        ann.api().send(new Envelope(null, null, "MODE", null, "#net", List.of("+o", "cat@gamma"), null, null, null));
        cat.await("+o on gamma", e -> e.command().equals("MODE") && e.params().equals(List.of("+o", "cat")));

        beta.kill();
        // modes too: +l on both sides (gamma's, newer, wins); -t on alpha and +i on gamma (both stay)
        mode(ann, "#net", "-t+l", "10");
        ann.await("alpha's mode echo", e -> e.command().equals("MODE") && e.params().equals(List.of("-t+l", "10")));
        mode(cat, "#net", "+il", "20");
        cat.await("gamma's mode echo", e -> e.command().equals("MODE") && e.params().equals(List.of("+il", "20")));
        ann.api().send("TOPIC", "#net", "older, from alpha");
        ann.await("alpha's topic echo", e -> e.command().equals("TOPIC") && e.bodyLines().contains("older, from alpha"));
        cat.api().send("TOPIC", "#net", "newer, from gamma");
        cat.await("gamma's topic echo", e -> e.command().equals("TOPIC") && e.bodyLines().contains("newer, from gamma"));
        assertThat(topic(ann, "#net")).isEqualTo("older, from alpha");

        beta.restart();
        FederationNet.awaitUp(alpha, "beta");
        FederationNet.awaitUp(gamma, "beta");
        for (Mailbox box : List.of(ann, ben, cat)) {
            Wait.until("the newest topic at " + box.api().baseUrl(), Duration.ofSeconds(20),
                    () -> "newer, from gamma".equals(topic(box, "#net")));
        }
        // alpha's older topic has reached gamma by now (a later message from alpha came after it): refused there
        ann.api().privmsg("#net", "after the heal");
        cat.await("alpha's message after the heal", Mailbox.text("after the heal"), Duration.ofSeconds(20));
        assertThat(topic(cat, "#net")).isEqualTo("newer, from gamma");
        cat.drain();
        assertThat(cat.received()).noneMatch(e -> e.command().equals("TOPIC") && e.bodyLines().contains("older, from alpha"));
        ann.await("gamma's topic on alpha", e -> e.command().equals("TOPIC") && "cat@gamma".equals(e.from()));
        for (Mailbox box : List.of(ann, ben, cat)) {
            Wait.until("merged modes at " + box.api().baseUrl(), Duration.ofSeconds(10),
                    () -> modes(box, "#net").equals(List.of("+inl", "20")));
        }
    }

    @Test
    @Order(3)
    void a_triangle_delivers_every_message_exactly_once() {
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

    private static void mode(Mailbox who, String channel, String... params) {
        who.api().send(new Envelope(null, null, "MODE", null, channel, List.of(params), null, null, null));
    }

    /** The channel's modes as 324 shows them to {@code box}, without the channel name. */
    private static List<String> modes(Mailbox box, String channel) {
        box.drain();
        box.api().send(new Envelope(null, null, "MODE", null, channel, List.of(), null, null, null));
        List<String> params = box.awaitNumeric("324").params();
        return params.subList(1, params.size());
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
