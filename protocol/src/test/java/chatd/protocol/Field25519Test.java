package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Field25519} against BigInteger arithmetic modulo p, on edge values, random values and unreduced limbs. */
class Field25519Test {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final Random RANDOM = new Random(25519);

    /** Elements as the field sees them: from 32-byte encodings and from raw limbs at the bounds inputs may reach. */
    private static List<long[]> samples() {
        List<long[]> samples = new ArrayList<>();
        for (BigInteger v : List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, P.subtract(BigInteger.ONE), P,
                P.add(BigInteger.ONE), BigInteger.TWO.pow(255).subtract(BigInteger.ONE), BigInteger.TWO.pow(254),
                BigInteger.TWO.pow(255).subtract(BigInteger.TWO.pow(200)), BigInteger.TWO.pow(51).subtract(BigInteger.ONE))) {
            samples.add(Field25519.decode(Scalars.toLittleEndian(v), 0));
        }
        samples.add(limbs((1L << 53) - 1)); // the largest limbs a multiplication accepts
        samples.add(limbs((1L << 51) + (1L << 15))); // the largest a carried result holds
        samples.add(limbs((1L << 51) - 1));
        samples.add(limbs(1L << 51));
        for (int i = 0; i < 50; i++) { // unreduced limbs
            samples.add(new long[] {limb(), limb(), limb(), limb(), limb()});
        }
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            samples.add(Field25519.decode(bytes, 0));
        }
        return samples;
    }

    private static long limb() {
        return RANDOM.nextLong((1L << 51) - 64, (1L << 51) + (1L << 15) + 1);
    }

    private static long[] limbs(long each) {
        return new long[] {each, each, each, each, each};
    }

    private static BigInteger value(long[] a) {
        BigInteger v = BigInteger.ZERO;
        for (int i = Field25519.LIMBS - 1; i >= 0; i--) {
            v = v.shiftLeft(51).add(BigInteger.valueOf(a[i]));
        }
        return v;
    }

    /** The result is the expected residue, and carried: non-negative limbs at most 2^51 + 2^15. */
    private static void assertIs(long[] result, BigInteger expected) {
        assertThat(value(result).mod(P)).isEqualTo(expected.mod(P));
        for (long limb : result) {
            assertThat(limb).isBetween(0L, (1L << 51) + (1L << 15));
        }
    }

    @Test
    void arithmetic_agrees_with_big_integers_mod_p() {
        List<long[]> samples = samples();
        long[] out = Field25519.create();
        for (long[] a : samples) {
            BigInteger x = value(a);
            Field25519.sqr(a, out);
            assertIs(out, x.multiply(x));
            Field25519.negate(a, out);
            assertIs(out, x.negate());
            for (int j = 0; j < samples.size(); j += 7) {
                long[] b = samples.get(j);
                BigInteger y = value(b);
                Field25519.mul(a, b, out);
                assertIs(out, x.multiply(y));
                Field25519.add(a, b, out);
                assertIs(out, x.add(y));
                Field25519.sub(a, b, out);
                assertIs(out, x.subtract(y));
            }
        }
    }

    @Test
    void uncarried_sums_and_differences_are_right_and_fit_a_multiplication() {
        List<long[]> carried = new ArrayList<>();
        for (long[] sample : samples()) {
            long[] c = Field25519.create();
            Field25519.add(sample, Field25519.create(), c); // carried, as every result is
            carried.add(c);
        }
        carried.add(limbs((1L << 51) + (1L << 15))); // the largest a carried result holds
        long[] out = Field25519.create();
        long[] product = Field25519.create();
        for (long[] a : carried) {
            for (int j = 0; j < carried.size(); j += 5) {
                long[] b = carried.get(j);
                Field25519.sumToMultiply(a, b, out);
                assertBelow2to53(out, value(a).add(value(b)));
                Field25519.mul(out, out, product);
                assertIs(product, value(out).pow(2));
                Field25519.differenceToMultiply(a, b, out);
                assertBelow2to53(out, value(a).subtract(value(b)));
                Field25519.sqr(out, product);
                assertIs(product, value(out).pow(2));
            }
        }
    }

    private static void assertBelow2to53(long[] result, BigInteger expected) {
        assertThat(value(result).mod(P)).isEqualTo(expected.mod(P));
        for (long limb : result) {
            assertThat(limb).isBetween(0L, (1L << 53) - 1);
        }
    }

    @Test
    void results_may_be_the_inputs() {
        long[] a = Field25519.decode(Scalars.toLittleEndian(P.subtract(BigInteger.TWO)), 0);
        BigInteger x = value(a);
        Field25519.mul(a, a, a);
        assertIs(a, x.multiply(x));
        Field25519.sub(a, a, a);
        assertThat(Field25519.isZero(a)).isTrue();
    }

    @Test
    void normalize_gives_the_canonical_value_and_encode_its_bytes() {
        for (long[] a : samples()) {
            BigInteger expected = value(a).mod(P);
            long[] r = a.clone();
            Field25519.normalize(r);
            assertThat(value(r)).isEqualTo(expected);
            assertThat(Field25519.encode(a)).isEqualTo(Scalars.toLittleEndian(expected));
            assertThat(Field25519.isZero(a)).isEqualTo(expected.signum() == 0);
            assertThat(Field25519.isOdd(a)).isEqualTo(expected.testBit(0));
        }
    }

    @Test
    void decode_reads_255_bits_and_ignores_the_top_one() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        bytes[31] |= (byte) 0x80;
        assertThat(value(Field25519.decode(bytes, 0))).isEqualTo(Scalars.littleEndian(bytes, 0).clearBit(255));
        byte[] shifted = new byte[40];
        System.arraycopy(bytes, 0, shifted, 8, 32);
        assertThat(Field25519.decode(shifted, 8)).isEqualTo(Field25519.decode(bytes, 0));
    }

    @Test
    void invert_gives_the_inverse() {
        long[] out = Field25519.create();
        for (long[] a : samples()) {
            BigInteger x = value(a).mod(P);
            if (x.signum() == 0) {
                continue;
            }
            Field25519.invert(a, out);
            assertIs(out, x.modInverse(P));
        }
    }

    @Test
    void sqrt_ratio_finds_a_root_exactly_when_there_is_one() {
        BigInteger exponent = P.subtract(BigInteger.ONE).shiftRight(1); // Euler's criterion
        long[] x = Field25519.create();
        int roots = 0;
        List<long[]> samples = samples();
        for (long[] u : samples) {
            long[] v = samples.get(RANDOM.nextInt(samples.size()));
            if (value(v).mod(P).signum() == 0) {
                continue;
            }
            BigInteger ratio = value(u).multiply(value(v).mod(P).modInverse(P)).mod(P);
            boolean square = ratio.signum() == 0 || ratio.modPow(exponent, P).equals(BigInteger.ONE);

            assertThat(Field25519.sqrtRatio(u, v, x)).isEqualTo(square);
            if (square) {
                assertIs(x, value(x).mod(P)); // carried
                assertThat(value(x).pow(2).mod(P)).isEqualTo(ratio);
                roots++;
            }
        }
        assertThat(roots).as("both kinds were tried").isBetween(20, 200);
    }

    @Test
    void square_root_of_minus_one_needs_the_extra_factor() {
        long[] minusOne = Field25519.create();
        Field25519.negate(Field25519.one(), minusOne);
        long[] x = Field25519.create();

        assertThat(Field25519.sqrtRatio(minusOne, Field25519.one(), x)).isTrue();
        assertThat(value(x).pow(2).mod(P)).isEqualTo(P.subtract(BigInteger.ONE));
    }
}
