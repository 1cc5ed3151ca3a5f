package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.protocol.Ed25519;
import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer — this test, posting directly to alpha's federation endpoints — while alpha and beta
 * are really linked: each attack is refused with its status, and the real link keeps working.
 */
class FederationHostileTest {
    static final String LINK = "/api/v1/federation/link";
    static final String RELAY = "/api/v1/federation/relay";
    static ChildServer alpha;
    static ChildServer beta;
    static Mailbox alice;
    static Mailbox bob;

    @BeforeAll
    static void link() throws Exception {
        int pa = ChildServer.freePort();
        int pb = ChildServer.freePort();
        var fa = CompletableFuture.supplyAsync(() -> FederationNet.server("alpha", "beta=http://127.0.0.1:" + pb, Map.of("PORT", "" + pa)));
        var fb = CompletableFuture.supplyAsync(() -> FederationNet.server("beta", "alpha=http://127.0.0.1:" + pa, Map.of("PORT", "" + pb)));
        alpha = fa.join();
        beta = fb.join();
        FederationNet.awaitUp(alpha, "beta");
        FederationNet.awaitUp(beta, "alpha");
        alice = FederationNet.user(alpha, "alice");
        bob = FederationNet.user(beta, "bob");
        alice.api().send("JOIN", "#h");
        alice.awaitNumeric("366");
        chatd.server.testing.Wait.until("beta knows #h", Duration.ofSeconds(10), () -> FederationNet.seesMember(bob, "#h", "alice@alpha"));
        bob.api().send("JOIN", "#h");
        alice.await("bob@beta joined", e -> e.command().equals("JOIN") && "bob@beta".equals(e.from()));
    }

    @AfterAll
    static void stop() {
        if (alpha != null) alpha.close();
        if (beta != null) beta.close();
    }

    @Test
    void every_attack_is_refused_and_the_real_link_keeps_working() {
        ApiClient http = new ApiClient(alpha.url());
        ApiClient admin = new ApiClient(alpha.url()).token("admin-alpha");
        admin.call("POST", "/api/v1/federation/links", Json.MAPPER.createObjectNode()
                .put("name", "mallory").put("url", "http://127.0.0.1:9").put("key", "mallory-key"));
        Signer mallory = new Signer(Ed25519.generate(new SecureRandom()));
        byte[] key = LinkHandshake.keyBytes("mallory-key");
        long now = System.currentTimeMillis();

        // a server that is not on the allowlist
        assertThat(post(http, LINK, hello("eve", mallory, LinkHandshake.nonce(), now, LinkHandshake.keyBytes(FederationNet.KEY))).status())
                .isEqualTo(403);
        // wrong key
        assertThat(post(http, LINK, hello("mallory", mallory, LinkHandshake.nonce(), now, LinkHandshake.keyBytes("wrong"))).status())
                .isEqualTo(401);
        // stale timestamp
        assertThat(post(http, LINK, hello("mallory", mallory, LinkHandshake.nonce(), now - 10 * 60_000, key)).status())
                .isEqualTo(401);
        // a second server claiming a name present in the network (beta is up with another key), or alpha's own
        assertThat(post(http, LINK, hello("beta", mallory, LinkHandshake.nonce(), now, LinkHandshake.keyBytes(FederationNet.KEY))).status())
                .isEqualTo(409);
        assertThat(post(http, LINK, hello("alpha", mallory, LinkHandshake.nonce(), now, LinkHandshake.keyBytes(FederationNet.KEY))).status())
                .isEqualTo(409);
        // a good hello, then the same hello replayed
        String nonce = LinkHandshake.nonce();
        ObjectNode hello = hello("mallory", mallory, nonce, now, key);
        ApiClient.Raw answer = post(http, LINK, hello);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(LinkHandshake.verifyMac(answer.json(), key)).isTrue();
        assertThat(post(http, LINK, hello).status()).isEqualTo(401);
        // confirm with a wrong MAC, then the right one
        String theirs = answer.json().path("nonce").asText();
        assertThat(post(http, LINK, LinkHandshake.confirm("mallory", theirs, nonce, now, LinkHandshake.keyBytes("wrong"))).status())
                .isEqualTo(401);
        ApiClient.Raw again = post(http, LINK, hello("mallory", mallory, nonce = LinkHandshake.nonce(), now, key));
        theirs = again.json().path("nonce").asText();
        assertThat(post(http, LINK, LinkHandshake.confirm("mallory", theirs, nonce, now, key)).status()).isEqualTo(200);

        // relay: unsigned, not a peer, bad request signature
        assertThat(http.raw("POST", RELAY, "{\"txn\":\"x\",\"events\":[]}", Map.of()).status()).isEqualTo(401);
        assertThat(relay(http, "eve", mallory, batch("t0")).status()).isEqualTo(403);
        Signer other = new Signer(Ed25519.generate(new SecureRandom()));
        assertThat(relay(http, "mallory", other, batch("t1")).status()).isEqualTo(401);

        // one batch: forged signature, forged from, unknown origin, missing signature, one good event
        ObjectNode good = event(mallory, "mallory", "eve@mallory", "JOIN", "#h");
        ObjectNode badSig = event(mallory, "mallory", "eve@mallory", "PRIVMSG", "#h");
        badSig.put("sig", Ed25519.encodeSignature(new byte[64]));
        ObjectNode forgedFrom = event(mallory, "mallory", "bob@beta", "PRIVMSG", "#h");
        ObjectNode unknownOrigin = event(other, "zed", "z@zed", "PRIVMSG", "#h");
        ObjectNode unsigned = event(mallory, "mallory", "eve@mallory", "PRIVMSG", "#h");
        unsigned.remove("sig");
        ObjectNode body = batch("t2", badSig, forgedFrom, unknownOrigin, unsigned, good);
        ApiClient.Raw r = relay(http, "mallory", mallory, body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(ids(r.json().path("accepted"))).containsExactly(good.path("id").asText());
        assertThat(r.json().path("rejected")).hasSize(4);
        // the operator sees them (GET /api/v1/federation/status, the /admin page)
        JsonNode status = http.raw("GET", "/api/v1/federation/status", null, Map.of()).json();
        assertThat(status.path("peers")).filteredOn(p -> p.path("name").asText().equals("mallory"))
                .singleElement().satisfies(p -> assertThat(p.path("refused").asLong()).isEqualTo(4));
        // the same txn is answered as before; the same event in a new txn is a duplicate
        assertThat(relay(http, "mallory", mallory, body).json().path("accepted")).hasSize(1);
        ApiClient.Raw dup = relay(http, "mallory", mallory, batch("t3", good));
        assertThat(ids(dup.json().path("duplicate"))).containsExactly(good.path("id").asText());
        alice.await("eve@mallory's JOIN", e -> e.command().equals("JOIN") && "eve@mallory".equals(e.from()));
        alice.drain();
        assertThat(alice.received()).noneMatch(e -> e.command().equals("PRIVMSG") && !"bob@beta".equals(e.from()) && e.from() != null
                && !e.from().equals("alice"));

        // oversize batch
        ObjectNode huge = batch("t4");
        for (int i = 0; i < FederationEndpoints.MAX_EVENTS + 1; i++) {
            ((ArrayNode) huge.get("events")).add(Json.MAPPER.createObjectNode().put("id", "x" + i));
        }
        assertThat(relay(http, "mallory", mallory, huge).status()).isEqualTo(413);

        // the real link still works both ways
        alice.api().privmsg("#h", "still linked");
        bob.await("alice after the attacks", Mailbox.text("still linked"));
        bob.api().privmsg("#h", "still here");
        alice.await("bob after the attacks", Mailbox.text("still here"));

        // flood: the link endpoint throttles the source address (429 + Retry-After) ...
        ApiClient.Raw limited = null;
        for (int i = 0; i < FederationEndpoints.LINK_PER_MINUTE + 5 && limited == null; i++) {
            ApiClient.Raw x = http.raw("POST", LINK, "{}", Map.of());
            if (x.status() == 429) {
                limited = x;
            }
        }
        assertThat(limited).isNotNull();
        assertThat(limited.headers().get("retry-after")).isNotEmpty();
        // ... and a relay flood from the same address throttles beta too: it backs off and loses nothing
        ApiClient.Raw relayLimited = null;
        for (int i = 0; i < 4 * FederationEndpoints.RELAY_PER_MINUTE_PER_ADDRESS; i++) {
            ApiClient.Raw x = http.raw("POST", RELAY, "{}", Map.of());
            if (x.status() == 429) {
                relayLimited = x;
                break;
            }
        }
        assertThat(relayLimited).isNotNull();
        for (int i = 0; i < 5; i++) {
            bob.api().privmsg("#h", "through the flood " + i);
            http.raw("POST", RELAY, "{}", Map.of());
        }
        for (int i = 0; i < 5; i++) {
            alice.await("bob's message despite the throttle", Mailbox.text("through the flood " + i), Duration.ofSeconds(20));
        }
    }

    @Test
    void disabled_policy_refuses_every_federation_call() {
        try (TestServer off = TestServer.start(Map.of("SERVER_NAME", "off", "FEDERATION_POLICY", "disabled",
                "FEDERATION_KEY", "k", "ADMIN_TOKEN", "t"))) {
            ApiClient http = off.client();
            assertThat(http.raw("POST", LINK, "{}", Map.of()).status()).isEqualTo(403);
            assertThat(http.raw("POST", RELAY, "{}", Map.of()).status()).isEqualTo(403);
            assertThat(http.raw("GET", "/api/v1/federation/status", null, Map.of()).status()).isEqualTo(403);
            assertThat(http.raw("POST", "/api/v1/federation/links", "{\"name\":\"x\",\"url\":\"http://x\"}",
                    Map.of("Authorization", "Bearer t")).status()).isEqualTo(403);
        }
    }

    private static ObjectNode hello(String server, Signer signer, String nonce, long ts, byte[] key) {
        return LinkHandshake.hello(server, "http://127.0.0.1:9", signer.publicKey(), nonce, ts, key);
    }

    private static ApiClient.Raw post(ApiClient http, String path, JsonNode body) {
        return http.raw("POST", path, Json.write(body), Map.of());
    }

    private static ObjectNode batch(String txn, ObjectNode... events) {
        ObjectNode b = Json.MAPPER.createObjectNode().put("txn", txn + "-" + UUID.randomUUID());
        ArrayNode a = b.putArray("events");
        for (ObjectNode e : events) {
            a.add(e);
        }
        if (events.length > 0) {
            b.put("txn", txn);
        }
        return b;
    }

    private static ObjectNode event(Signer signer, String origin, String from, String command, String to) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("id", UUID.randomUUID().toString());
        e.put("origin", origin);
        e.put("ts", java.time.Instant.now().toString());
        e.put("hops", 0);
        Envelope env = new Envelope(UUID.randomUUID().toString(), java.time.Instant.now().toString(), command, from, to,
                List.of(), Envelope.lines(List.of("evil")), origin, null);
        e.set("envelope", Json.MAPPER.valueToTree(env));
        return FakePeer.signed(signer, e);
    }

    private static ApiClient.Raw relay(ApiClient http, String server, Signer signer, ObjectNode body) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis();
        return http.raw("POST", RELAY, new String(bytes, StandardCharsets.UTF_8), Map.of(
                Signer.HEADER_SERVER, server, Signer.HEADER_TS, Long.toString(ts),
                Signer.HEADER_SIG, signer.signRequest("POST", RELAY, ts, bytes)));
    }

    private static List<String> ids(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
