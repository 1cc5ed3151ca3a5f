package chatd.protocol;

/**
 * Arithmetic modulo p = 2^255 − 19 for {@link Ed25519Batch}: an element is five {@code long} limbs of 51 bits,
 * Σ f[i]·2^(51 i), so that a multiplication takes 25 limb products (about 22 ns here, against 35 for
 * BouncyCastle's ten 25.5-bit limbs). Java has no 128-bit integer: each product a·b is taken as a·(b·2^11), whose
 * low 64 bits hold bits 0..52 of a·b (shifted up by 11) and whose high 64 bits ({@link Math#unsignedMultiplyHigh},
 * a HotSpot intrinsic) hold bits 53 and up, so that columns add up without carries between words.
 *
 * <p>Every result is <em>carried</em>: limbs non-negative and at most 2^51 + 2^15, and every operation accepts
 * carried inputs. A multiplication or squaring also accepts limbs below 2^53 (so that b·2^11 fits in 64 bits):
 * {@link #sumToMultiply} and {@link #differenceToMultiply} skip the carry of a sum or difference that is only
 * multiplied, as most are in a point addition. A value is only unique after {@link #normalize}. Not constant
 * time: it handles public data only.
 */
final class Field25519 {
    static final int LIMBS = 5;
    private static final long MASK = (1L << 51) - 1;
    /** 8p in limbs, added before subtracting so that no limb goes negative. */
    private static final long EIGHT_P0 = (MASK - 18) << 3;
    private static final long EIGHT_P = MASK << 3;
    /** 2p in limbs: enough below a difference whose subtrahend is carried (limbs at most 2^51 + 2^15). */
    private static final long TWO_P0 = (MASK - 18) << 1;
    private static final long TWO_P = MASK << 1;
    /** √−1 = 2^((p−1)/4), for the square root of a ratio. */
    private static final long[] SQRT_MINUS_ONE = sqrtMinusOne();

    private Field25519() {}

    static long[] create() {
        return new long[LIMBS];
    }

    static long[] one() {
        long[] one = create();
        one[0] = 1;
        return one;
    }

    static void copy(long[] from, long[] to) {
        System.arraycopy(from, 0, to, 0, LIMBS);
    }

    static void add(long[] a, long[] b, long[] out) {
        carry(a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4], out);
    }

    static void sub(long[] a, long[] b, long[] out) {
        carry(a[0] + EIGHT_P0 - b[0], a[1] + EIGHT_P - b[1], a[2] + EIGHT_P - b[2], a[3] + EIGHT_P - b[3],
                a[4] + EIGHT_P - b[4], out);
    }

    /** a + b, not carried (limbs below 2^53 for carried a and b): only for a multiplication's input. */
    static void sumToMultiply(long[] a, long[] b, long[] out) {
        for (int i = 0; i < LIMBS; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /**
     * a − b + 2p, not carried (limbs below 2^53 for a below 2^52 and b carried): only for a multiplication's
     * input.
     */
    static void differenceToMultiply(long[] a, long[] b, long[] out) {
        out[0] = a[0] + TWO_P0 - b[0];
        for (int i = 1; i < LIMBS; i++) {
            out[i] = a[i] + TWO_P - b[i];
        }
    }

    static void negate(long[] a, long[] out) {
        carry(EIGHT_P0 - a[0], EIGHT_P - a[1], EIGHT_P - a[2], EIGHT_P - a[3], EIGHT_P - a[4], out);
    }

    static void mul(long[] a, long[] b, long[] out) {
        long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        long b0 = b[0] << 11, b1 = b[1] << 11, b2 = b[2] << 11, b3 = b[3] << 11, b4 = b[4] << 11;
        // column k of the schoolbook product, Σ a_i b_j with i + j = k, as low_k + high_k·2^53
        long low0 = low(a0, b0);
        long low1 = low(a0, b1) + low(a1, b0);
        long low2 = low(a0, b2) + low(a1, b1) + low(a2, b0);
        long low3 = low(a0, b3) + low(a1, b2) + low(a2, b1) + low(a3, b0);
        long low4 = low(a0, b4) + low(a1, b3) + low(a2, b2) + low(a3, b1) + low(a4, b0);
        long low5 = low(a1, b4) + low(a2, b3) + low(a3, b2) + low(a4, b1);
        long low6 = low(a2, b4) + low(a3, b3) + low(a4, b2);
        long low7 = low(a3, b4) + low(a4, b3);
        long low8 = low(a4, b4);
        long high0 = high(a0, b0);
        long high1 = high(a0, b1) + high(a1, b0);
        long high2 = high(a0, b2) + high(a1, b1) + high(a2, b0);
        long high3 = high(a0, b3) + high(a1, b2) + high(a2, b1) + high(a3, b0);
        long high4 = high(a0, b4) + high(a1, b3) + high(a2, b2) + high(a3, b1) + high(a4, b0);
        long high5 = high(a1, b4) + high(a2, b3) + high(a3, b2) + high(a4, b1);
        long high6 = high(a2, b4) + high(a3, b3) + high(a4, b2);
        long high7 = high(a3, b4) + high(a4, b3);
        long high8 = high(a4, b4);
        reduce(low0, low1, low2, low3, low4, low5, low6, low7, low8,
                high0, high1, high2, high3, high4, high5, high6, high7, high8, out);
    }

    static void sqr(long[] a, long[] out) {
        long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        long s0 = a0 << 11, s1 = a1 << 11, s2 = a2 << 11, s3 = a3 << 11, s4 = a4 << 11;
        long d0 = 2 * a0, d1 = 2 * a1, d2 = 2 * a2, d3 = 2 * a3; // each cross product counts twice
        long low0 = low(a0, s0);
        long low1 = low(d0, s1);
        long low2 = low(d0, s2) + low(a1, s1);
        long low3 = low(d0, s3) + low(d1, s2);
        long low4 = low(d0, s4) + low(d1, s3) + low(a2, s2);
        long low5 = low(d1, s4) + low(d2, s3);
        long low6 = low(d2, s4) + low(a3, s3);
        long low7 = low(d3, s4);
        long low8 = low(a4, s4);
        long high0 = high(a0, s0);
        long high1 = high(d0, s1);
        long high2 = high(d0, s2) + high(a1, s1);
        long high3 = high(d0, s3) + high(d1, s2);
        long high4 = high(d0, s4) + high(d1, s3) + high(a2, s2);
        long high5 = high(d1, s4) + high(d2, s3);
        long high6 = high(d2, s4) + high(a3, s3);
        long high7 = high(d3, s4);
        long high8 = high(a4, s4);
        reduce(low0, low1, low2, low3, low4, low5, low6, low7, low8,
                high0, high1, high2, high3, high4, high5, high6, high7, high8, out);
    }

    /** a squared n times (n ≥ 1). */
    static void sqr(long[] a, int n, long[] out) {
        sqr(a, out);
        for (int i = 1; i < n; i++) {
            sqr(out, out);
        }
    }

    /** Bits 0..52 of a·b, given a and b·2^11. */
    private static long low(long a, long shiftedB) {
        return (a * shiftedB) >>> 11;
    }

    /** Bits 53 and up of a·b, given a and b·2^11 (a below 2^54, b below 2^53: below 2^54). */
    private static long high(long a, long shiftedB) {
        return Math.unsignedMultiplyHigh(a, shiftedB);
    }

    /**
     * Σ (low_k + 4 high_k·2^51)·2^(51 k) as a carried element: 2^255 ≡ 19, so columns 5..9 come back times 19 into
     * columns 0..4. A column is below 2^58 (five lows below 2^53 and highs below 2^53 counted four times in a
     * product; three, 2^54 and four in a square), so a column plus 19 times another is below 2^63.
     */
    private static void reduce(long low0, long low1, long low2, long low3, long low4, long low5, long low6,
            long low7, long low8, long high0, long high1, long high2, long high3, long high4, long high5,
            long high6, long high7, long high8, long[] out) {
        long v5 = low5 + 4 * high4;
        long v6 = low6 + 4 * high5;
        long v7 = low7 + 4 * high6;
        long v8 = low8 + 4 * high7;
        long v9 = 4 * high8;
        carry(low0 + 19 * v5, low1 + 4 * high0 + 19 * v6, low2 + 4 * high1 + 19 * v7, low3 + 4 * high2 + 19 * v8,
                low4 + 4 * high3 + 19 * v9, out);
    }

    /**
     * Limbs (non-negative, below 2^63) carried into {@code out}, limbs at most 2^51 + 2^15: two chains at once
     * (0→1→2→3 and 3→4→0→1), three steps deep instead of six, for the squarings in a row of an
     * exponentiation.
     */
    private static void carry(long r0, long r1, long r2, long r3, long r4, long[] out) {
        long c0 = r0 >>> 51;
        long c3 = r3 >>> 51;
        r0 &= MASK;
        r3 &= MASK;
        r1 += c0;
        r4 += c3;
        long c1 = r1 >>> 51;
        long c4 = r4 >>> 51;
        r1 &= MASK;
        r4 &= MASK;
        r2 += c1;
        r0 += 19 * c4;
        c0 = r0 >>> 51;
        long c2 = r2 >>> 51;
        r0 &= MASK;
        r2 &= MASK;
        out[0] = r0;
        out[1] = r1 + c0;
        out[2] = r2;
        out[3] = r3 + c2;
        out[4] = r4;
    }

    /** Reduces {@code a} in place to its unique representative, below p. */
    static void normalize(long[] a) {
        carryOneByOne(a);
        carryOneByOne(a); // now every limb is below 2^51: the value is below 2^255
        long q = (a[0] + 19) >>> 51; // q = 1 exactly when the value is p or more
        q = (a[1] + q) >>> 51;
        q = (a[2] + q) >>> 51;
        q = (a[3] + q) >>> 51;
        q = (a[4] + q) >>> 51;
        a[0] += 19 * q;
        carryUp(a);
        a[4] &= MASK; // drops 2^255 when q = 1: value + 19 − 2^255 = value − p
    }

    /** One carry from limb 0 up to limb 4 and round to limb 0 (2^255 ≡ 19). */
    private static void carryOneByOne(long[] a) {
        carryUp(a);
        a[0] += 19 * (a[4] >>> 51);
        a[4] &= MASK;
    }

    private static void carryUp(long[] a) {
        for (int i = 0; i < LIMBS - 1; i++) {
            a[i + 1] += a[i] >>> 51;
            a[i] &= MASK;
        }
    }

    static boolean isZero(long[] a) {
        long[] r = a.clone();
        normalize(r);
        return (r[0] | r[1] | r[2] | r[3] | r[4]) == 0;
    }

    /** Whether the normalized value is odd: the sign of x in an encoding (RFC 8032 §5.1.2). */
    static boolean isOdd(long[] a) {
        long[] r = a.clone();
        normalize(r);
        return (r[0] & 1) == 1;
    }

    /** The 255 low bits of the little-endian 32 bytes at {@code off} (the top bit, x's sign in a point, is ignored). */
    static long[] decode(byte[] bytes, int off) {
        long[] out = create();
        for (int i = 0; i < LIMBS; i++) {
            int bit = 51 * i;
            long word = 0;
            // 8 bytes from bit's byte on hold its 51 bits and the offset within the byte
            for (int j = Math.min(31, bit / 8 + 7); j >= bit / 8; j--) {
                word = word << 8 | (bytes[off + j] & 0xffL);
            }
            out[i] = (word >>> (bit % 8)) & MASK;
        }
        return out;
    }

    /** The 32 little-endian bytes of the normalized value. */
    static byte[] encode(long[] a) {
        long[] r = a.clone();
        normalize(r);
        byte[] out = new byte[32];
        for (int i = 0; i < 255; i += 8) {
            int limb = i / 51;
            int shift = i % 51;
            long bits = r[limb] >>> shift;
            if (shift > 43 && limb < LIMBS - 1) {
                bits |= r[limb + 1] << (51 - shift);
            }
            out[i / 8] = (byte) bits;
        }
        return out;
    }

    /** 1/a (a ≠ 0) as a^(p−2), p − 2 = 2^255 − 21: about 255 squarings. */
    static void invert(long[] a, long[] out) {
        long[] a11 = create();
        long[] t = create();
        pow2to250minus1(a, t, a11);
        sqr(t, 5, t); // a^(2^255 − 32)
        mul(t, a11, out);
    }

    /**
     * RFC 8032 §5.1.3's square root of u/v (v ≠ 0): true and x with v x² = u when there is one,
     * x = u v³ (u v⁷)^((p−5)/8) times √−1 when needed; false when u/v is not a square.
     */
    static boolean sqrtRatio(long[] u, long[] v, long[] x) {
        long[] v3 = create();
        sqr(v, v3);
        mul(v3, v, v3);
        long[] uv7 = create();
        sqr(v3, uv7);
        mul(uv7, v, uv7);
        mul(uv7, u, uv7);
        long[] t = create();
        pow2to250minus1(uv7, t, create());
        sqr(t, 2, t);
        mul(t, uv7, t); // (u v⁷)^(2^252 − 3), and (p − 5)/8 = 2^252 − 3
        mul(t, v3, t);
        mul(t, u, x);
        long[] check = create();
        sqr(x, check);
        mul(check, v, check);
        sub(check, u, t);
        if (isZero(t)) {
            return true;
        }
        add(check, u, t);
        if (!isZero(t)) {
            return false;
        }
        mul(x, SQRT_MINUS_ONE, x);
        return true;
    }

    /** a^(2^250 − 1) into {@code out}, and a^11 (a step on the way, which inversion needs) into {@code a11}. */
    private static void pow2to250minus1(long[] a, long[] out, long[] a11) {
        long[] t = create();
        long[] a9 = create();
        sqr(a, t); // a^2
        sqr(t, 2, a9);
        mul(a9, a, a9); // a^9
        mul(a9, t, a11); // a^11
        long[] e5 = create();
        sqr(a11, t);
        mul(t, a9, e5); // a^31 = a^(2^5 − 1)
        long[] e10 = create();
        sqr(e5, 5, t);
        mul(t, e5, e10); // 2^10 − 1
        long[] e20 = create();
        sqr(e10, 10, t);
        mul(t, e10, e20);
        sqr(e20, 20, t);
        mul(t, e20, t); // 2^40 − 1
        long[] e50 = create();
        sqr(t, 10, t);
        mul(t, e10, e50);
        long[] e100 = create();
        sqr(e50, 50, t);
        mul(t, e50, e100);
        sqr(e100, 100, t);
        mul(t, e100, t); // 2^200 − 1
        sqr(t, 50, t);
        mul(t, e50, out);
    }

    private static long[] sqrtMinusOne() {
        // 2^((p−1)/4) = 2^(2^253 − 5): from 2^(2^250 − 1), three squarings give 2^(2^253 − 8), times 2^3
        long[] two = create();
        two[0] = 2;
        long[] t = create();
        pow2to250minus1(two, t, create());
        sqr(t, 3, t);
        long[] eight = create();
        eight[0] = 8;
        mul(t, eight, t);
        normalize(t);
        return t;
    }
}
