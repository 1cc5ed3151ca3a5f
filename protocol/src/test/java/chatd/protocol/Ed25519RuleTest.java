package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One rule, the cofactored equation, whether a signature is checked alone or in any batch: signatures made
 * with a small-order point in R or in the key (which libsodium's cofactorless check refuses, and a cofactored
 * batch accepts) get the same answer alone, in every batch position, and below and above the batch threshold,
 * and the answer of BouncyCastle's (cofactored) verification.
 */
class Ed25519RuleTest {
    /** A point of order 8 (one of the small-order encodings libsodium refuses as R). */
    private static final byte[] ORDER_8 = HexFormat.of().parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] seed = RANDOM.generateSeed(32);
    private final BigInteger secret = secretScalar(seed);
    private final byte[] publicKey = Ed25519.fromPrivate(seed).publicKey();

    @Test
    void the_torsion_point_used_here_has_order_8() {
        Ed25519Batch.Point t = Ed25519Batch.decode(ORDER_8, 0);

        assertThat(t.times8().isIdentity()).isTrue();
        assertThat(t.twice().twice().isIdentity()).isFalse();
        assertThat(encode(scalarTimesBase(secret))).as("the test's signing arithmetic").isEqualTo(publicKey);
    }

    @Test
    void a_signature_whose_r_carries_a_small_order_point_is_valid_alone_and_in_every_batch_position() {
        byte[] message = "{\"id\":\"crafted\"}".getBytes(StandardCharsets.UTF_8);
        byte[] crafted = sign(publicKey, secret, message, true);
        if (Sodium.AVAILABLE) {
            assertThat(Sodium.verify(publicKey, message, crafted)).as("libsodium (cofactorless): refused").isFalse();
        }
        assertThat(Ed25519Test.verifyInBouncyCastle(publicKey, message, crafted)).as("BouncyCastle (cofactored): valid").isTrue();

        assertThat(Ed25519.verify(publicKey, message, crafted)).isTrue();
        assertThat(Ed25519Batch.allValid(publicKey, Ed25519Batch.publicKeyForOneCheck(publicKey), List.of(message), List.of(crafted)))
                .as("with the key prepared for one check").isTrue();
        assertSameAnswerInEveryPosition(message, crafted, true);
    }

    @Test
    void the_same_signature_with_another_s_is_refused_alone_and_in_every_batch_position() {
        byte[] message = "{\"id\":\"crafted\"}".getBytes(StandardCharsets.UTF_8);
        byte[] crafted = sign(publicKey, secret, message, true);
        crafted[33] ^= 1;

        assertThat(Ed25519.verify(publicKey, message, crafted)).isFalse();
        assertThat(Ed25519Batch.allValid(publicKey, Ed25519Batch.publicKeyForOneCheck(publicKey), List.of(message), List.of(crafted)))
                .as("with the key prepared for one check").isFalse();
        assertSameAnswerInEveryPosition(message, crafted, false);
    }

    @Test
    void a_key_with_a_small_order_component_gets_one_answer_alone_and_in_batches() {
        byte[] mixedKey = encode(scalarTimesBase(secret).plus(Ed25519Batch.decode(ORDER_8, 0)));
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        int refusedBySodium = 0;
        for (int i = 0; i < 24; i++) {
            byte[] message = ("{\"id\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] signature = sign(mixedKey, secret, message, false);
            messages.add(message);
            signatures.add(signature);
            refusedBySodium += Sodium.AVAILABLE && !Sodium.verify(mixedKey, message, signature) ? 1 : 0;
            assertThat(Ed25519Test.verifyInBouncyCastle(mixedKey, message, signature)).as("BouncyCastle agrees").isTrue();
            assertThat(Ed25519.verify(mixedKey, message, signature)).as("signature %d alone", i).isTrue();
        }
        if (Sodium.AVAILABLE) {
            assertThat(refusedBySodium).as("k not a multiple of 8: the cofactorless check refuses").isPositive();
        }

        for (int n : new int[] {1, Ed25519.MIN_BATCH - 1, Ed25519.MIN_BATCH, 24}) {
            assertThat(Ed25519.verifyEach(mixedKey, messages.subList(0, n), signatures.subList(0, n)))
                    .as("%d in a batch", n).hasSize(n).containsOnly(true);
        }
        byte[] forged = signatures.get(5).clone();
        forged[40] ^= 1;
        signatures.set(5, forged);
        boolean[] valid = Ed25519.verifyEach(mixedKey, messages, signatures);
        for (int i = 0; i < valid.length; i++) {
            assertThat(valid[i]).as("signature %d", i).isEqualTo(i != 5);
        }
    }

    /** At the start, middle and end of honest batches (this test's key), below and above the batch threshold. */
    private void assertSameAnswerInEveryPosition(byte[] message, byte[] signature, boolean expected) {
        for (int size : new int[] {1, 2, Ed25519.MIN_BATCH, 16, 40}) {
            for (int position : new int[] {0, size / 2, size - 1}) {
                List<byte[]> messages = new ArrayList<>();
                List<byte[]> signatures = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    if (i == position) {
                        messages.add(message);
                        signatures.add(signature);
                    } else {
                        byte[] m = ("{\"id\":\"honest " + i + "\"}").getBytes(StandardCharsets.UTF_8);
                        messages.add(m);
                        signatures.add(Ed25519.sign(seed, m));
                    }
                }
                boolean[] valid = Ed25519.verifyEach(publicKey, messages, signatures);
                for (int i = 0; i < size; i++) {
                    assertThat(valid[i]).as("batch of %d, crafted at %d: signature %d", size, position, i)
                            .isEqualTo(i == position ? expected : true);
                }
                assertThat(Ed25519Batch.allValid(publicKey, Ed25519Batch.publicKey(publicKey), messages, signatures))
                        .as("one batch of %d, crafted at %d", size, position).isEqualTo(expected);
            }
        }
    }

    // ---------------------------------------------------------------- signing arithmetic (test only)

    /** RFC 8032 §5.1.5: the secret scalar of a seed. */
    private static BigInteger secretScalar(byte[] seed) {
        byte[] h = sha512().digest(seed);
        h[0] &= (byte) 248;
        h[31] &= 127;
        h[31] |= 64;
        return Scalars.littleEndian(h, 0);
    }

    /**
     * A signature by {@code secret} under the key encoded as {@code key} (which may carry a small-order
     * component); with {@code torsionInR}, R = [r]B + T for a point T of order 8.
     */
    private static byte[] sign(byte[] key, BigInteger secret, byte[] message, boolean torsionInR) {
        BigInteger r = new BigInteger(300, RANDOM).mod(Ed25519Batch.L);
        Ed25519Batch.Point point = scalarTimesBase(r);
        if (torsionInR) {
            point = point.plus(Ed25519Batch.decode(ORDER_8, 0));
        }
        byte[] encodedR = encode(point);
        MessageDigest sha512 = sha512();
        sha512.update(encodedR);
        sha512.update(key);
        BigInteger k = Scalars.littleEndian(sha512.digest(message), 0, 64).mod(Ed25519Batch.L);
        BigInteger s = r.add(k.multiply(secret)).mod(Ed25519Batch.L);
        byte[] signature = Arrays.copyOf(encodedR, 64);
        System.arraycopy(Scalars.toLittleEndian(s), 0, signature, 32, 32);
        return signature;
    }

    private static Ed25519Batch.Point scalarTimesBase(BigInteger scalar) {
        return Ed25519Batch.multiScalar(new Ed25519Batch.Cached[][] {Ed25519Batch.oddMultiples(Ed25519Batch.BASE)},
                new BigInteger[] {scalar}).point();
    }

    /** RFC 8032 §5.1.2: y, with x's low bit on top. */
    private static byte[] encode(Ed25519Batch.Point p) {
        long[] x = Field25519.create();
        long[] y = Field25519.create();
        p.affine(x, y);
        byte[] out = Field25519.encode(y);
        out[31] |= (byte) (Field25519.isOdd(x) ? 0x80 : 0);
        return out;
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
