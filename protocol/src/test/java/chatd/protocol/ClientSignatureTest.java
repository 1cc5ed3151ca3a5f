package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java side of signing-vectors.json; the web client (e2e/signing.test.mjs) and the terminal client check the same file. */
class ClientSignatureTest {
    private static final JsonNode VECTORS = load();

    private static JsonNode load() {
        try (InputStream in = ClientSignatureTest.class.getResourceAsStream("/signing-vectors.json")) {
            return Json.MAPPER.readTree(in);
        } catch (Exception e) {
            throw new IllegalStateException("signing-vectors.json", e);
        }
    }

    static Stream<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        VECTORS.path("cases").forEach(out::add);
        return out.stream();
    }

    private static Ed25519.KeyPair key(String name) {
        return Ed25519.fromPrivate(Base64.getDecoder().decode(VECTORS.path("keys").path(name).path("seed").asText()));
    }

    private static Envelope envelope(JsonNode json) throws Exception {
        return Json.MAPPER.treeToValue(json, Envelope.class);
    }

    @Test
    void the_vector_keys_are_the_rfc_8032_keys() {
        for (String name : List.of("alice", "bob")) {
            assertThat(Ed25519.encodeKey(key(name).publicKey()))
                    .isEqualTo(VECTORS.path("keys").path(name).path("public").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void canonical_bytes_and_signature_match_byte_for_byte(JsonNode c) throws Exception {
        Envelope sent = envelope(c.path("sent"));
        Ed25519.KeyPair keys = key(c.path("signer").asText());

        assertThat(new String(ClientSignature.signedBytes(sent), StandardCharsets.UTF_8)).isEqualTo(c.path("canonical").asText());
        Envelope signed = ClientSignature.sign(sent, new Ed25519.SigningKey(keys.privateKey()), keys.publicKey());
        assertThat(signed.meta().path("sig").asText()).isEqualTo(c.path("sig").asText());
        assertThat(signed.meta().path("alg").asText()).isEqualTo("ed25519");
        assertThat(ClientSignature.attachedKey(signed)).isEqualTo(Ed25519.encodeKey(keys.publicKey()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void deliveries_verify_exactly_when_the_vectors_say(JsonNode c) throws Exception {
        for (JsonNode d : c.path("deliveries")) {
            Envelope delivered = envelope(d.path("envelope"));
            String key = VECTORS.path("keys").path(d.path("key").asText()).path("public").asText();
            assertThat(ClientSignature.verifies(delivered, key, d.path("local_server").asText()))
                    .as(d.path("note").asText())
                    .isEqualTo(d.path("verifies").asBoolean());
        }
    }

    @Test
    void identity_is_nick_at_server_folded() {
        assertThat(ClientSignature.identity("Alice", "alpha")).isEqualTo("alice@alpha");
        assertThat(ClientSignature.identity("Bob@Beta", "alpha")).isEqualTo("bob@beta");
    }
}
