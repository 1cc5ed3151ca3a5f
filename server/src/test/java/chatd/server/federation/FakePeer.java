package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.protocol.Ed25519;
import chatd.protocol.Envelope;
import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A linked server played by a test: it is added as a link by the admin, completes the real two-step
 * handshake with the link's key, and then posts events it signs with its own server key — honest ones,
 * or the attacks of a hostile operator who holds a valid link key.
 */
final class FakePeer {
    private final String name;
    private final Signer signer = new Signer(Ed25519.generate(new SecureRandom()));
    private final ApiClient http;

    private FakePeer(String name, ApiClient http) {
        this.name = name;
        this.http = http;
    }

    /** Links {@code name} to the server at {@code url} (admin token {@code adminToken}) through the real handshake. */
    static FakePeer link(String url, String adminToken, String name) {
        String key = name + "-link-key";
        new ApiClient(url).token(adminToken).call("POST", "/api/v1/federation/links", Json.MAPPER.createObjectNode()
                .put("name", name).put("url", "http://127.0.0.1:9").put("key", key));
        FakePeer peer = new FakePeer(name, new ApiClient(url));
        byte[] k = LinkHandshake.keyBytes(key);
        String nonce = LinkHandshake.nonce();
        long now = System.currentTimeMillis();
        ApiClient.Raw answer = peer.post(FederationHostileTest.LINK,
                LinkHandshake.hello(name, "http://127.0.0.1:9", peer.signer.publicKey(), nonce, now, k));
        assertThat(answer.status()).as("hello: %s", answer.body()).isEqualTo(200);
        assertThat(LinkHandshake.verifyMac(answer.json(), k)).isTrue();
        ApiClient.Raw confirmed = peer.post(FederationHostileTest.LINK,
                LinkHandshake.confirm(name, answer.json().path("nonce").asText(), nonce, now, k));
        assertThat(confirmed.status()).as("confirm: %s", confirmed.body()).isEqualTo(200);
        return peer;
    }

    String name() {
        return name;
    }

    /** A signed event of this server, stamped now. */
    ObjectNode event(String from, String command, String to, List<String> params, List<String> body) {
        return event(from, command, to, params, body, null, Instant.now());
    }

    /**
     * A signed event: {@code state} as a JOIN carries it ({@code modes}, {@code key}), {@code ts} as the
     * origin claims it.
     */
    ObjectNode event(String from, String command, String to, List<String> params, List<String> body, ObjectNode state,
            Instant ts) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("id", UUID.randomUUID().toString());
        e.put("origin", name);
        e.put("ts", ts.toString());
        e.put("hops", 0);
        Envelope env = new Envelope(UUID.randomUUID().toString(), ts.toString(), command, from, to, params,
                body == null ? null : Envelope.lines(body), name, null);
        e.set("envelope", Json.MAPPER.valueToTree(env));
        if (state != null) {
            e.set("state", state);
        }
        return signed(signer, e);
    }

    /** The event as {@code signer} signs what it originates ({@link Signer#signedJson}), read back as a tree. */
    static ObjectNode signed(Signer signer, ObjectNode event) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(signer.signedJson(event));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A signed BURST event with this body. */
    ObjectNode burst(ObjectNode body) {
        ObjectNode e = event(name, "BURST", "*", List.of(), null);
        ((ObjectNode) e.get("envelope")).set("body", body);
        e.remove("sig");
        return signed(signer, e);
    }

    /** Posts one batch as this server; answers the relay answer ({@code accepted}, {@code duplicate}, {@code rejected}). */
    JsonNode send(ObjectNode... events) {
        ObjectNode batch = Json.MAPPER.createObjectNode().put("txn", "t-" + UUID.randomUUID());
        var array = batch.putArray("events");
        for (ObjectNode e : events) {
            array.add(e);
        }
        byte[] bytes = Json.write(batch).getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis();
        ApiClient.Raw r = http.raw("POST", FederationHostileTest.RELAY, new String(bytes, StandardCharsets.UTF_8), Map.of(
                Signer.HEADER_SERVER, name, Signer.HEADER_TS, Long.toString(ts),
                Signer.HEADER_SIG, signer.signRequest("POST", FederationHostileTest.RELAY, ts, bytes)));
        assertThat(r.status()).as("relay answer %s", r.body()).isEqualTo(200);
        return r.json();
    }

    /** The numeric a batch of one event was refused with ("482"), or "ok" when it was accepted. */
    static String outcome(JsonNode answer) {
        if (answer.path("rejected").isEmpty()) {
            assertThat(answer.path("accepted")).as("accepted: %s", answer).hasSize(1);
            return "ok";
        }
        return answer.path("rejected").get(0).path("reason").asText().split(" ")[0];
    }

    private ApiClient.Raw post(String path, JsonNode body) {
        return http.raw("POST", path, Json.write(body), Map.of());
    }
}
