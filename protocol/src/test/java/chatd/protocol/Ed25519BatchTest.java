package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Batch verification answers exactly what one-by-one verification answers, for good and bad signatures. */
class Ed25519BatchTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Ed25519.KeyPair keys = Ed25519.generate(RANDOM);
    private final List<byte[]> messages = new ArrayList<>();
    private final List<byte[]> signatures = new ArrayList<>();

    private void sign(int n) {
        for (int i = 0; i < n; i++) {
            byte[] message = ("{\"id\":\"" + i + "\",\"envelope\":{\"body\":[\"" + "x".repeat(RANDOM.nextInt(300)) + "\"]}}")
                    .getBytes(StandardCharsets.UTF_8);
            messages.add(message);
            signatures.add(Ed25519.sign(keys.privateKey(), message));
        }
    }

    private boolean[] oneByOne() {
        boolean[] valid = new boolean[signatures.size()];
        for (int i = 0; i < valid.length; i++) {
            valid[i] = Ed25519.verify(keys.publicKey(), messages.get(i), signatures.get(i));
        }
        return valid;
    }

    @ParameterizedTest(name = "{0} signatures")
    @ValueSource(ints = {0, 1, Ed25519.MIN_BATCH - 1, Ed25519.MIN_BATCH, 50, 257})
    void valid_signatures_all_pass(int n) {
        sign(n);

        boolean[] valid = Ed25519.verifyEach(keys.publicKey(), messages, signatures);

        assertThat(valid).hasSize(n).doesNotContain(false);
        if (n >= Ed25519.MIN_BATCH) {
            assertThat(Ed25519Batch.allValid(keys.publicKey(), Ed25519Batch.publicKey(keys.publicKey()), messages, signatures))
                    .as("checked as one batch").isTrue();
        }
    }

    @Test
    void one_bad_signature_among_many_is_the_only_one_refused() {
        sign(100);
        byte[] forged = signatures.get(37).clone();
        forged[40] ^= 1; // s changed
        signatures.set(37, forged);

        boolean[] valid = Ed25519.verifyEach(keys.publicKey(), messages, signatures);

        assertThat(valid).isEqualTo(oneByOne());
        for (int i = 0; i < valid.length; i++) {
            assertThat(valid[i]).as("signature %d", i).isEqualTo(i != 37);
        }
        assertThat(Ed25519Batch.allValid(keys.publicKey(), Ed25519Batch.publicKey(keys.publicKey()), messages, signatures))
                .isFalse();
    }

    @Test
    void changed_messages_changed_r_and_foreign_signatures_are_refused_each() {
        sign(64);
        messages.set(3, "{\"id\":\"3\",\"envelope\":{\"body\":[\"changed\"]}}".getBytes(StandardCharsets.UTF_8));
        byte[] otherR = signatures.get(10).clone();
        otherR[5] ^= 4; // R changed: another point, or none
        signatures.set(10, otherR);
        Ed25519.KeyPair other = Ed25519.generate(RANDOM);
        signatures.set(63, Ed25519.sign(other.privateKey(), messages.get(63)));
        signatures.set(20, signatures.get(21)); // a valid signature of another message

        boolean[] valid = Ed25519.verifyEach(keys.publicKey(), messages, signatures);

        assertThat(valid).isEqualTo(oneByOne());
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < valid.length; i++) {
            if (!valid[i]) {
                refused.add(i);
            }
        }
        assertThat(refused).containsExactly(3, 10, 20, 63);
    }

    @Test
    void a_batch_of_forgeries_is_refused_whole() {
        sign(40);
        for (int i = 0; i < 40; i++) {
            byte[] forged = signatures.get(i).clone();
            forged[33] ^= 1;
            signatures.set(i, forged);
        }

        boolean[] valid = Ed25519.verifyEach(keys.publicKey(), messages, signatures);

        assertThat(valid).isEqualTo(oneByOne()).containsOnly(false);
    }

    @Test
    void a_non_canonical_s_is_refused_as_libsodium_refuses_it() {
        sign(16);
        byte[] sig = signatures.get(9).clone();
        BigInteger s = Scalars.littleEndian(sig, 32).add(Ed25519Batch.L); // same point equation, s ≥ L
        byte[] le = Scalars.toLittleEndian(s);
        System.arraycopy(le, 0, sig, 32, 32);
        signatures.set(9, sig);

        boolean[] valid = Ed25519.verifyEach(keys.publicKey(), messages, signatures);

        assertThat(valid).isEqualTo(oneByOne());
        assertThat(valid[9]).isFalse();
    }

    @Test
    void another_key_refuses_every_signature() {
        sign(20);

        assertThat(Ed25519.verifyEach(Ed25519.generate(RANDOM).publicKey(), messages, signatures)).containsOnly(false);
        assertThat(Ed25519.verifyEach(new byte[31], messages, signatures)).containsOnly(false);
    }

    @Test
    void garbage_is_refused_without_an_exception() {
        sign(12);
        signatures.set(0, new byte[3]);
        signatures.set(1, null);
        byte[] allOnes = new byte[64];
        java.util.Arrays.fill(allOnes, (byte) 0xff); // R's y ≥ p, s ≥ L
        signatures.set(2, allOnes);

        boolean[] valid = Ed25519.verifyEach(keys.publicKey(), messages, signatures);

        assertThat(valid).isEqualTo(oneByOne());
        assertThat(valid[0] || valid[1] || valid[2]).isFalse();
        assertThat(valid[3]).isTrue();
    }

    @Test
    void the_multi_scalar_multiplication_agrees_with_repeated_addition() {
        Ed25519Batch.Point base = Ed25519Batch.decode(java.util.HexFormat.of().parseHex(
                "5866666666666666666666666666666666666666666666666666666666666666"), 0);
        Random random = new Random(7);
        BigInteger a = BigInteger.valueOf(random.nextInt(1000));
        BigInteger b = BigInteger.valueOf(random.nextInt(1000));
        Ed25519Batch.Point sum = Ed25519Batch.multiScalar(new Ed25519Batch.Cached[][] {Ed25519Batch.oddMultiples(base),
                Ed25519Batch.oddMultiples(base.twice())}, new BigInteger[] {a, b}).point();
        Ed25519Batch.Point expected = Ed25519Batch.Point.identity();
        for (int i = 0; i < a.intValue() + 2 * b.intValue(); i++) {
            expected = expected.plus(base);
        }

        assertThat(sum.plus(expected.negate()).isIdentity()).isTrue();
        assertThat(sum.isIdentity()).isFalse();
        assertThat(Ed25519Batch.multiScalar(new Ed25519Batch.Cached[][] {Ed25519Batch.oddMultiples(base)},
                new BigInteger[] {Ed25519Batch.L}).isIdentity())
                .as("[L]B is the identity").isTrue();
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {Ed25519Batch.WINDOW, Ed25519Batch.FIXED_WINDOW})
    void naf_digits_are_the_scalar_odd_small_and_spread(int width) {
        Random random = new Random(11);
        for (int n = 0; n < 500; n++) {
            BigInteger scalar = new BigInteger(n % 2 == 0 ? 128 : 253, random);
            byte[] digits = Ed25519Batch.nafDigits(scalar, width);
            BigInteger sum = BigInteger.ZERO;
            int lastNonZero = -100;
            for (int i = 0; i < digits.length; i++) {
                if (digits[i] != 0) {
                    assertThat(Math.abs(digits[i])).isOdd().isLessThan(1 << (width - 1));
                    assertThat(i - lastNonZero).isGreaterThanOrEqualTo(width);
                    lastNonZero = i;
                }
                sum = sum.add(BigInteger.valueOf(digits[i]).shiftLeft(i));
            }
            assertThat(sum).isEqualTo(scalar);
        }
    }

}
