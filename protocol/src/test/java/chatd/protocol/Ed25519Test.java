package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ed25519Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MESSAGE = "{\"command\":\"PRIVMSG\"}".getBytes(StandardCharsets.UTF_8);

    /** RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (the single byte 0x72). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "TEST 1,"
                + " 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
                + " d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a,"
                + " '',"
                + " e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "TEST 2,"
                + " 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
                + " 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,"
                + " 72,"
                + " 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    })
    void rfc_8032_vectors(String name, String secretHex, String publicHex, String messageHex, String signatureHex) {
        byte[] message = HEX.parseHex(messageHex);
        Ed25519.KeyPair keys = Ed25519.fromPrivate(HEX.parseHex(secretHex));

        assertThat(HEX.formatHex(keys.publicKey())).isEqualTo(publicHex);
        assertThat(HEX.formatHex(Ed25519.sign(keys.privateKey(), message))).isEqualTo(signatureHex);
        assertThat(Ed25519.verify(HEX.parseHex(publicHex), message, HEX.parseHex(signatureHex))).isTrue();
    }

    @Test
    void a_generated_pair_signs_and_verifies_and_rebuilds_from_its_seed() {
        Ed25519.KeyPair keys = Ed25519.generate(new SecureRandom());
        byte[] signature = Ed25519.sign(keys.privateKey(), MESSAGE);

        assertThat(signature).hasSize(Ed25519.SIGNATURE_BYTES);
        assertThat(Ed25519.verify(keys.publicKey(), MESSAGE, signature)).isTrue();
        assertThat(Ed25519.fromPrivate(keys.privateKey())).isEqualTo(keys);
        assertThat(Ed25519.generate(new SecureRandom())).isNotEqualTo(keys);
    }

    @Test
    void verification_fails_for_another_message_key_or_signature() {
        Ed25519.KeyPair keys = Ed25519.fromPrivate(new byte[32]);
        Ed25519.KeyPair other = Ed25519.fromPrivate(filled((byte) 1));
        byte[] signature = Ed25519.sign(keys.privateKey(), MESSAGE);
        byte[] tamperedMessage = MESSAGE.clone();
        tamperedMessage[0] ^= 1;
        byte[] tamperedSignature = signature.clone();
        tamperedSignature[10] ^= 1;

        assertThat(Ed25519.verify(keys.publicKey(), MESSAGE, signature)).isTrue();
        assertThat(Ed25519.verify(keys.publicKey(), tamperedMessage, signature)).isFalse();
        assertThat(Ed25519.verify(other.publicKey(), MESSAGE, signature)).isFalse();
        assertThat(Ed25519.verify(keys.publicKey(), MESSAGE, tamperedSignature)).isFalse();
    }

    @Test
    void garbage_never_throws_from_verify() {
        byte[] publicKey = Ed25519.fromPrivate(new byte[32]).publicKey();
        byte[] signature = Ed25519.sign(new byte[32], MESSAGE);

        assertThat(Ed25519.verify(null, MESSAGE, signature)).isFalse();
        assertThat(Ed25519.verify(publicKey, null, signature)).isFalse();
        assertThat(Ed25519.verify(publicKey, MESSAGE, null)).isFalse();
        assertThat(Ed25519.verify(Arrays.copyOf(publicKey, 31), MESSAGE, signature)).isFalse();
        assertThat(Ed25519.verify(Arrays.copyOf(publicKey, 33), MESSAGE, signature)).isFalse();
        assertThat(Ed25519.verify(publicKey, MESSAGE, Arrays.copyOf(signature, 63))).isFalse();
        assertThat(Ed25519.verify(publicKey, MESSAGE, new byte[64])).isFalse();
        assertThat(Ed25519.verify(filled((byte) 0xff), MESSAGE, signature)).isFalse();
        assertThat(Ed25519.verify(new byte[32], MESSAGE, signature)).isFalse();
    }

    /** CI installs libsodium, so there both implementations run; they must agree on every input. */
    @Test
    void libsodium_and_bouncycastle_agree_on_signatures_and_verdicts() {
        assumeTrue(Sodium.AVAILABLE, "libsodium is not installed here (Debian: libsodium23)");
        assertThat(Ed25519.backend()).isEqualTo("libsodium");
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            Ed25519.KeyPair keys = Ed25519.generate(random);
            Ed25519.SigningKey key = new Ed25519.SigningKey(keys.privateKey());
            byte[] message = new byte[random.nextInt(600)];
            random.nextBytes(message);
            byte[] signature = key.sign(message);
            byte[] tampered = signature.clone();
            tampered[random.nextInt(tampered.length)] ^= (byte) (1 << random.nextInt(8));
            byte[] garbageKey = new byte[32];
            random.nextBytes(garbageKey);

            assertThat(signature).isEqualTo(key.signInJava(message));
            assertThat(Ed25519.verify(keys.publicKey(), message, signature)).isTrue();
            assertThat(verifyInBouncyCastle(keys.publicKey(), message, signature)).isTrue();
            assertThat(Ed25519.verify(keys.publicKey(), message, tampered)).isFalse();
            assertThat(verifyInBouncyCastle(keys.publicKey(), message, tampered)).isFalse();
            assertThat(Ed25519.verify(garbageKey, message, signature)).isFalse();
            assertThat(verifyInBouncyCastle(garbageKey, message, signature)).isFalse();
        }
    }

    @Test
    void keys_round_trip_through_standard_base64() {
        Ed25519.KeyPair keys = Ed25519.fromPrivate(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        String encoded = Ed25519.encodeKey(keys.publicKey());

        assertThat(encoded).isEqualTo("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assertThat(Ed25519.decodeKey(encoded)).isEqualTo(keys.publicKey());
        assertThat(Ed25519.decodeKey(encoded.replace("=", ""))).isEqualTo(keys.publicKey());
    }

    @Test
    void signatures_round_trip_through_standard_base64() {
        byte[] signature = Ed25519.sign(new byte[32], MESSAGE);
        String encoded = Ed25519.encodeSignature(signature);

        assertThat(encoded).hasSize(88);
        assertThat(Ed25519.decodeSignature(encoded)).isEqualTo(signature);
        assertThatThrownBy(() -> Ed25519.decodeSignature(Ed25519.encodeKey(new byte[32])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 bytes");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "AAAA", "not base64!", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="})
    void decode_key_rejects_what_is_not_32_bytes_of_standard_base64(String base64) {
        assertThatThrownBy(() -> Ed25519.decodeKey(base64)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decode_key_rejects_33_bytes() {
        String tooLong = Base64.getEncoder().encodeToString(new byte[33]);
        assertThatThrownBy(() -> Ed25519.decodeKey(tooLong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 33");
    }

    @Test
    void key_material_is_copied_and_the_private_half_never_printed() {
        byte[] seed = new byte[32];
        Ed25519.KeyPair keys = Ed25519.fromPrivate(seed);
        keys.privateKey()[0] = 9;
        seed[0] = 9;

        assertThat(keys.privateKey()).isEqualTo(new byte[32]);
        assertThat(keys.toString()).contains(Ed25519.encodeKey(keys.publicKey()))
                .doesNotContain(Ed25519.encodeKey(keys.privateKey()));
        assertThat(keys.hashCode()).isEqualTo(Ed25519.fromPrivate(new byte[32]).hashCode());
    }

    @Test
    void wrong_length_private_keys_are_refused() {
        assertThatThrownBy(() -> Ed25519.fromPrivate(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519.sign(new byte[64], MESSAGE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ed25519.KeyPair(new byte[32], null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** BouncyCastle's verification (cofactored, as this server's rule): a reference written by others. */
    static boolean verifyInBouncyCastle(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException invalidPublicKey) {
            return false;
        }
    }

    private static byte[] filled(byte value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
