package chatd.cli.sign;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal client's signing against the shared vectors (protocol/src/test/resources/signing-vectors.json,
 * also checked by protocol's ClientSignatureTest and the web client's e2e/signing.test.mjs), its key file,
 * and trust on first use.
 */
class SigningTest {
    private static final JsonNode VECTORS = load();

    @TempDir
    Path dir;

    private static JsonNode load() {
        try {
            return Json.MAPPER.readTree(Path.of("../protocol/src/test/resources/signing-vectors.json").toFile());
        } catch (Exception e) {
            throw new IllegalStateException("signing-vectors.json (tests run from the cli module directory)", e);
        }
    }

    private Signer signerOf(String name) throws Exception {
        Path file = dir.resolve(name + ".key");
        Files.writeString(file, VECTORS.path("keys").path(name).path("seed").asText() + "\n");
        return Signer.loadOrCreate(file);
    }

    private static String key(String name) {
        return VECTORS.path("keys").path(name).path("public").asText();
    }

    private static Envelope envelope(JsonNode json) throws Exception {
        return Json.MAPPER.treeToValue(json, Envelope.class);
    }

    @Test
    void signs_every_vector_byte_for_byte_and_judges_every_delivery_as_the_vectors_say() throws Exception {
        for (JsonNode c : VECTORS.path("cases")) {
            Signer signer = signerOf(c.path("signer").asText());
            assertThat(signer.publicKey()).isEqualTo(key(c.path("signer").asText()));
            Envelope signed = signer.sign(envelope(c.path("sent")));
            assertThat(signed.meta().path("sig").asText()).as(c.path("name").asText()).isEqualTo(c.path("sig").asText());
            for (JsonNode d : c.path("deliveries")) {
                TrustStore trust = new TrustStore(dir.resolve("trust-" + System.nanoTime() + ".json"));
                Envelope delivered = envelope(d.path("envelope"));
                String local = d.path("local_server").asText();
                Verifier verifier = new Verifier(trust, () -> local);
                trust.add(verifier.identity(delivered.from()), key(d.path("key").asText()));
                // not verified: BAD_SIGNATURE, or KEY_CHANGED when the attached key (not the trusted one) signed it
                assertThat(verifier.judge(delivered).verdict() == Verifier.Verdict.VERIFIED)
                        .as(c.path("name").asText() + ": " + d.path("note").asText()).isEqualTo(d.path("verifies").asBoolean());
            }
        }
    }

    @Test
    void only_privmsg_and_notice_are_signed() throws Exception {
        Signer signer = signerOf("alice");
        assertThat(signer.sign(Envelope.of("NOTICE", null, "#room", List.of(), List.of("n"))).meta()).isNotNull();
        assertThat(signer.sign(Envelope.of("JOIN", null, "#room", List.of(), null)).meta()).isNull();
        Envelope announcement = signer.announcement("#room");
        assertThat(announcement.command()).isEqualTo("PUBKEY");
        assertThat(announcement.body().path("alg").asText()).isEqualTo("ed25519");
        assertThat(announcement.body().path("key").asText()).isEqualTo(key("alice"));
    }

    @Test
    void a_new_key_is_made_once_kept_across_restarts_and_readable_by_its_owner_only() throws Exception {
        Path file = Signer.keyFile(dir, "http://127.0.0.1:8080", "Alice");
        assertThat(file).isEqualTo(dir.resolve("keys/127.0.0.1_8080/alice.key"));
        String first = Signer.loadOrCreate(file).publicKey();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Signer.loadOrCreate(file).publicKey()).isEqualTo(first);
        assertThat(Signer.loadOrCreate(Signer.keyFile(dir, "http://127.0.0.1:8080", "bob")).publicKey()).isNotEqualTo(first);
    }

    @Test
    void trust_on_first_use_then_a_changed_key_is_flagged_until_trusted() throws Exception {
        Path trustFile = dir.resolve("trust.json");
        Verifier verifier = new Verifier(new TrustStore(trustFile), () -> "beta");
        Signer carol = signerOf("alice");
        Signer mallory = signerOf("bob");
        Envelope hello = signer(carol, "hello");

        assertThat(verifier.judge(hello).verdict()).isEqualTo(Verifier.Verdict.VERIFIED); // first use
        assertThat(new TrustStore(trustFile).keys("carol@alpha")).containsExactly(key("alice")); // kept on disk
        Verifier.Judgement changed = verifier.judge(signer(mallory, "it is me, honest"));
        assertThat(changed.verdict()).isEqualTo(Verifier.Verdict.KEY_CHANGED);
        assertThat(changed.identity()).isEqualTo("carol@alpha");
        assertThat(verifier.warnOnce(changed)).isTrue();
        assertThat(verifier.warnOnce(changed)).as("warned once per new key").isFalse();
        assertThat(verifier.accept("carol@alpha")).isEqualTo(key("bob"));
        assertThat(verifier.judge(signer(mallory, "trusted now")).verdict()).isEqualTo(Verifier.Verdict.VERIFIED);

        Envelope altered = new Envelope(hello.id(), hello.ts(), hello.command(), hello.from(), hello.to(), hello.params(),
                Envelope.lines(List.of("altered")), hello.origin(), hello.meta());
        assertThat(verifier.judge(altered).verdict()).isEqualTo(Verifier.Verdict.BAD_SIGNATURE);
        Envelope unsigned = Envelope.of("PRIVMSG", "carol@alpha", "#fed", List.of(), List.of("plain"));
        assertThat(verifier.judge(unsigned).verdict()).isEqualTo(Verifier.Verdict.UNSIGNED);
    }

    @Test
    void a_pubkey_is_trusted_on_first_use_and_a_different_one_reported() throws Exception {
        Verifier verifier = new Verifier(new TrustStore(dir.resolve("trust.json")), () -> "alpha");
        Envelope first = signerOf("alice").announcement("#room").withIdentity("1", null, "dave", "alpha");
        Envelope other = signerOf("bob").announcement("#room").withIdentity("2", null, "Dave", "alpha");
        assertThat(verifier.announced(first)).isNull();
        assertThat(verifier.announced(first)).isNull();
        Verifier.Judgement changed = verifier.announced(other);
        assertThat(changed.verdict()).isEqualTo(Verifier.Verdict.KEY_CHANGED);
        assertThat(changed.identity()).isEqualTo("dave@alpha");
        assertThat(changed.key()).isEqualTo(key("bob"));
    }

    /** A channel message signed by {@code signer}, as alpha's carol, delivered on beta. */
    private static Envelope signer(Signer signer, String text) {
        return signer.sign(Envelope.of("PRIVMSG", null, "#fed", List.of(), List.of(text)))
                .withIdentity("id-" + text, "2026-12-03T08:00:00.000Z", "carol@alpha", "alpha");
    }
}
