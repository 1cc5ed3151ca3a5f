package chatd.protocol;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The Ed25519 verification rule of this server, for one signature or a batch by one key (a relayed batch is
 * mostly one origin's events). A signature (R, s) by key A of message M is valid when A and R are canonical
 * encodings of curve points (y below p), A is not of small order, s is below L, and
 * {@code [8]([s]B − R − [k]A) = 0} with k = SHA-512(R ‖ A ‖ M) mod L: RFC 8032's cofactored equation, the
 * one ZIP-215 prescribes where every verifier must agree. A batch of n signatures passes when
 * {@code [8]([Σ z_i s_i] B − Σ [z_i] R_i − [Σ z_i k_i] A) = 0} with z_0 = 1 and the other z_i random 128-bit
 * weights: each valid signature makes its term zero once multiplied by 8, and an invalid one passes with
 * probability at most 2^-128 (the caller then splits the batch), so whether a signature is accepted never
 * depends on the signatures it was batched with. (A cofactorless check would: a signature whose R carries a
 * small-order component fails it alone but passes a batch.) Such a signature differs from a valid one by a
 * small-order point, which only the key's owner can make.
 *
 * <p>One multi-scalar multiplication (Straus) shares its 128 doublings between all terms: B's and A's
 * full-length scalars are split at bit 128 and added from tables prepared once (odd multiples of B, [2^128]B,
 * A and [2^128]A, 8-bit signed windows, affine so that an addition saves a multiplication); each R_i is added
 * by the 5-bit signed windows of its weight. Field arithmetic is {@link Field25519} (five 51-bit limbs: a
 * multiplication about 22 ns here, against 35–50 for BouncyCastle's {@code X25519Field}); points are in extended
 * coordinates (X:Y:Z:T) on −x² + y² = 1 + d x² y², added and doubled with the formulas of Hisil, Wong, Carter
 * and Dawson (2008), T computed only where an addition follows. Not constant time: it handles public data only.
 */
final class Ed25519Batch {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final long[] ONE = Field25519.one();
    private static final long[] D = constant(BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P));
    private static final long[] D2 = constant(BigInteger.valueOf(-121665 * 2L).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P));
    static final Point BASE = decode(java.util.HexFormat.of().parseHex(
            "5866666666666666666666666666666666666666666666666666666666666666"), 0);
    /** Scalars are split at this bit, so that a batch needs only as many doublings as its 128-bit weights. */
    private static final int SPLIT = 128;
    private static final BigInteger LOW_BITS = BigInteger.ONE.shiftLeft(SPLIT).subtract(BigInteger.ONE);
    /** Window of the R_i: a table of 8 odd multiples, built per signature, then about one addition per 6 bits. */
    static final int WINDOW = 5;
    /** Window of B and A, whose tables are built once: 64 odd multiples, about one addition per 9 bits. */
    static final int FIXED_WINDOW = 8;
    private static final Key BASE_TABLES = Key.of(BASE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ed25519Batch() {}

    /**
     * A point ready for the equation with a full-length scalar k = k_low + 2^128 k_high: the odd multiples of P
     * and of [2^128]P, so that [k]P costs no doublings beyond the 128 the batch makes anyway.
     */
    record Key(Cached[] low, Cached[] high) {
        /** For a key checked over and over: 8-bit windows of affine points (an inversion each, ~1.5 ms once). */
        static Key of(Point p) {
            return new Key(affine(multiples(p, FIXED_WINDOW)), affine(multiples(shifted(p), FIXED_WINDOW)));
        }

        /** For a key seen once: 5-bit windows, no inversion (~45 µs). */
        static Key forOneCheck(Point p) {
            return new Key(oddMultiples(p), oddMultiples(shifted(p)));
        }

        private static Point shifted(Point p) {
            Sum shifted = new Sum(p);
            for (int i = 0; i < SPLIT; i++) {
                shifted.twice(i == SPLIT - 1);
            }
            return shifted.point();
        }
    }

    /**
     * A public key decoded and prepared to be kept (a server checks a few peers' keys over and over); null when
     * the bytes are not a point, or a point of small order, which no honest key is.
     */
    static Key publicKey(byte[] publicKey) {
        return publicKey(publicKey, Key::of);
    }

    /** As {@link #publicKey(byte[])}, prepared for one check: cheaper to make, dearer to use. */
    static Key publicKeyForOneCheck(byte[] publicKey) {
        return publicKey(publicKey, Key::forOneCheck);
    }

    private static Key publicKey(byte[] publicKey, java.util.function.Function<Point, Key> prepare) {
        Point a = decode(publicKey, 0);
        return a == null || a.times8().isIdentity() ? null : prepare.apply(a);
    }

    /**
     * Whether every signature is {@code key}'s signature of its message by the rule above (for one signature:
     * exactly the rule). False when any is not, or is malformed (R not a point, s not below L).
     */
    static boolean allValid(byte[] publicKey, Key key, List<byte[]> messages, List<byte[]> signatures) {
        int n = signatures.size();
        if (n == 0) {
            return true;
        }
        Cached[][] tables = new Cached[n + 3][];
        BigInteger[] scalars = new BigInteger[n + 3];
        byte[] weights = new byte[16 * n];
        RANDOM.nextBytes(weights);
        BigInteger sumS = BigInteger.ZERO;
        BigInteger sumK = BigInteger.ZERO;
        MessageDigest sha512 = sha512();
        Point firstR = null;
        for (int i = 0; i < n; i++) {
            byte[] sig = signatures.get(i);
            Point r = decode(sig, 0);
            BigInteger s = littleEndian(sig, 32, 32);
            if (r == null || s.compareTo(L) >= 0) {
                return false;
            }
            sha512.update(sig, 0, 32);
            sha512.update(publicKey);
            BigInteger k = littleEndian(sha512.digest(messages.get(i)), 0, 64).mod(L);
            if (i == 0) { // weight 1: R_0 is subtracted once at the end, without a table
                firstR = r;
                sumS = s;
                sumK = k;
                continue;
            }
            BigInteger z = littleEndian(weights, 16 * i, 16);
            sumS = sumS.add(z.multiply(s));
            sumK = sumK.add(z.multiply(k));
            tables[i - 1] = oddMultiples(r.negate());
            scalars[i - 1] = z;
        }
        BigInteger s = sumS.mod(L);
        BigInteger minusK = L.subtract(sumK.mod(L)).mod(L); // [L − K]A = −[K]A
        tables[n - 1] = BASE_TABLES.low();
        scalars[n - 1] = s.and(LOW_BITS);
        tables[n] = BASE_TABLES.high();
        scalars[n] = s.shiftRight(SPLIT);
        tables[n + 1] = key.low();
        scalars[n + 1] = minusK.and(LOW_BITS);
        tables[n + 2] = key.high();
        scalars[n + 2] = minusK.shiftRight(SPLIT);
        Sum sum = multiScalar(tables, scalars);
        sum.add(firstR.cached(), true, false);
        for (int i = 0; i < 3; i++) {
            sum.twice(true);
        }
        return sum.isIdentity();
    }

    /**
     * Σ [scalars_i] P_i by Straus' method: one run of doublings for all terms, each P_i added from its table of
     * odd multiples ({@link #oddMultiples}; the table's size gives its window) by the signed digits of its scalar.
     */
    static Sum multiScalar(Cached[][] tables, BigInteger[] scalars) {
        int length = 0;
        byte[][] digits = new byte[tables.length][];
        for (int i = 0; i < tables.length; i++) {
            digits[i] = nafDigits(scalars[i], Integer.numberOfTrailingZeros(tables[i].length) + 2);
            length = Math.max(length, digits[i].length);
        }
        Sum acc = new Sum();
        for (int bit = length - 1; bit >= 0; bit--) {
            int last = -1; // the last term added at this bit: T is needed only by an addition (and by the caller)
            for (int i = 0; i < tables.length; i++) {
                if (bit < digits[i].length && digits[i][bit] != 0) {
                    last = i;
                }
            }
            acc.twice(last >= 0 || bit == 0);
            for (int i = 0; i <= last; i++) {
                int digit = bit < digits[i].length ? digits[i][bit] : 0;
                if (digit != 0) {
                    acc.add(tables[i][Math.abs(digit) >> 1], digit < 0, i < last || bit == 0);
                }
            }
        }
        return acc;
    }

    /**
     * The width-w non-adjacent form of a non-negative scalar, least significant first: Σ digits_i 2^i, each
     * digit 0 or odd in ±1..2^(w−1)−1, any two non-zero digits at least w positions apart.
     */
    static byte[] nafDigits(BigInteger scalar, int width) {
        long[] words = new long[scalar.bitLength() / 64 + 2]; // BigInteger.testBit per bit cost 3 % of a batch
        for (int w = 0; w < words.length; w++) {
            words[w] = scalar.shiftRight(64 * w).longValue();
        }
        int bits = scalar.bitLength();
        byte[] digits = new byte[bits + width + 1];
        int carry = 0;
        int i = 0;
        while (i < bits) {
            int bit = (int) (words[i >>> 6] >>> i) & 1;
            if ((bit + carry & 1) == 0) {
                carry = bit + carry >> 1;
                i++;
                continue;
            }
            int value = window(words, i, width) + carry;
            carry = value >= 1 << (width - 1) ? 1 : 0;
            digits[i] = (byte) (value - (carry << width));
            i += width;
        }
        if (carry != 0) {
            digits[i] = 1;
        }
        return digits;
    }

    /** Bits from..from+width−1 of the little-endian words (zero beyond them). */
    private static int window(long[] words, int from, int width) {
        int word = from >>> 6;
        int shift = from & 63;
        long bits = words[word] >>> shift;
        if (shift > 64 - width && word + 1 < words.length) {
            bits |= words[word + 1] << (64 - shift);
        }
        return (int) bits & ((1 << width) - 1);
    }

    /** P, 3P, 5P, … 15P, ready to be added (a window of {@link #WINDOW} bits); summed in place, it is built once per signature. */
    static Cached[] oddMultiples(Point p) {
        Cached[] table = new Cached[1 << (WINDOW - 2)];
        Cached twice = p.twice().cached();
        Sum multiple = new Sum(p);
        table[0] = p.cached();
        for (int k = 1; k < table.length; k++) {
            multiple.add(twice, false, true);
            table[k] = multiple.cached();
        }
        return table;
    }

    /** P, 3P, 5P, … (2^(w−1) − 1)P. */
    private static Point[] multiples(Point p, int width) {
        Point[] table = new Point[1 << (width - 2)];
        Point twice = p.twice();
        table[0] = p;
        for (int k = 1; k < table.length; k++) {
            table[k] = table[k - 1].plus(twice);
        }
        return table;
    }

    /** Points made affine (Z = 1) for a table kept for long: an inversion each, once. */
    private static Cached[] affine(Point[] points) {
        Cached[] table = new Cached[points.length];
        for (int k = 0; k < points.length; k++) {
            long[] x = Field25519.create();
            long[] y = Field25519.create();
            points[k].affine(x, y);
            long[] t2d = Field25519.create();
            Field25519.mul(x, y, t2d);
            Field25519.mul(t2d, D2, t2d);
            table[k] = new Cached(add(y, x), sub(y, x), t2d, null);
        }
        return table;
    }

    /**
     * RFC 8032 §5.1.3: the point whose 32-byte encoding starts at {@code off}; null when y is not below p or
     * no x fits.
     */
    static Point decode(byte[] bytes, int off) {
        if (!canonical(bytes, off)) {
            return null;
        }
        long[] y = Field25519.decode(bytes, off); // ignores the top bit: x's sign
        boolean xOdd = bytes[off + 31] < 0;
        long[] u = Field25519.create();
        long[] v = Field25519.create();
        Field25519.sqr(y, u);
        Field25519.mul(D, u, v);
        Field25519.sub(u, ONE, u);
        Field25519.add(v, ONE, v);
        long[] x = Field25519.create();
        if (!Field25519.sqrtRatio(u, v, x)) {
            return null;
        }
        if (xOdd && Field25519.isZero(x)) {
            return null;
        }
        if (Field25519.isOdd(x) != xOdd) {
            Field25519.negate(x, x);
        }
        long[] t = Field25519.create();
        Field25519.mul(x, y, t);
        return new Point(x, y, ONE, t);
    }

    /** Whether the 255-bit y of an encoding is below p = 2^255 − 19. */
    private static boolean canonical(byte[] bytes, int off) {
        if ((bytes[off] & 0xff) < 0xed) {
            return true;
        }
        for (int i = 1; i < 31; i++) {
            if (bytes[off + i] != (byte) 0xff) {
                return true;
            }
        }
        return (bytes[off + 31] & 0x7f) != 0x7f;
    }

    /** A point in extended coordinates: x = X/Z, y = Y/Z, xy = T/Z. Immutable (tables, keys, tests). */
    record Point(long[] x, long[] y, long[] z, long[] t) {
        static Point identity() {
            return new Point(Field25519.create(), ONE, ONE, Field25519.create());
        }

        /** Its affine coordinates x = X/Z and y = Y/Z (an inversion). */
        void affine(long[] xOut, long[] yOut) {
            long[] zInverse = Field25519.create();
            Field25519.invert(z, zInverse);
            Field25519.mul(x, zInverse, xOut);
            Field25519.mul(y, zInverse, yOut);
        }

        Point negate() {
            return new Point(negated(x), y, z, negated(t));
        }

        /** add-2008-hwcd-3 (a = −1): complete, so it also doubles and adds the identity. */
        Point plus(Point q) {
            Sum sum = new Sum(this);
            sum.add(q.cached(), false, true);
            return sum.point();
        }

        /** The form an addition needs of its second point: Y + X, Y − X, 2d·T, 2Z. */
        Cached cached() {
            long[] t2d = Field25519.create();
            Field25519.mul(t, D2, t2d);
            return new Cached(add(y, x), sub(y, x), t2d, add(z, z));
        }

        Point twice() {
            Sum sum = new Sum(this);
            sum.twice(true);
            return sum.point();
        }

        Point times8() {
            return twice().twice().twice();
        }

        boolean isIdentity() {
            return new Sum(this).isIdentity();
        }
    }

    /** A point prepared to be added ({@link Point#cached()}); {@code z2} is null for an affine point (Z = 1). */
    record Cached(long[] yPlusX, long[] yMinusX, long[] t2d, long[] z2) {}

    /**
     * A point being summed, changed in place: a multi-scalar multiplication makes a few hundred additions and
     * doublings, which allocate nothing here.
     */
    static final class Sum {
        private final long[] x = Field25519.create();
        private final long[] y = Field25519.create();
        private final long[] z = Field25519.create();
        private final long[] t = Field25519.create();
        private final long[] a = Field25519.create();
        private final long[] b = Field25519.create();
        private final long[] c = Field25519.create();
        private final long[] d = Field25519.create();
        private final long[] e = Field25519.create();
        private final long[] f = Field25519.create();
        private final long[] g = Field25519.create();
        private final long[] h = Field25519.create();

        /** The identity. */
        Sum() {
            Field25519.copy(ONE, y);
            Field25519.copy(ONE, z);
        }

        Sum(Point p) {
            Field25519.copy(p.x(), x);
            Field25519.copy(p.y(), y);
            Field25519.copy(p.z(), z);
            Field25519.copy(p.t(), t);
        }

        Point point() {
            return new Point(x.clone(), y.clone(), z.clone(), t.clone());
        }

        /** As {@link Point#cached()}, without the copy. */
        Cached cached() {
            long[] yPlusX = Field25519.create();
            long[] yMinusX = Field25519.create();
            long[] t2d = Field25519.create();
            long[] z2 = Field25519.create();
            Field25519.add(y, x, yPlusX);
            Field25519.sub(y, x, yMinusX);
            Field25519.mul(t, D2, t2d);
            Field25519.add(z, z, z2);
            return new Cached(yPlusX, yMinusX, t2d, z2);
        }

        /**
         * This plus {@code q} (minus {@code q} when {@code subtract}): add-2008-hwcd-3 (a = −1), madd when q is
         * affine; T is left stale unless {@code withT} (needed by a next addition, not by a doubling).
         */
        void add(Cached q, boolean subtract, boolean withT) {
            Field25519.differenceToMultiply(y, x, a);
            Field25519.mul(a, subtract ? q.yPlusX() : q.yMinusX(), a);
            Field25519.sumToMultiply(y, x, b);
            Field25519.mul(b, subtract ? q.yMinusX() : q.yPlusX(), b);
            Field25519.mul(t, q.t2d(), c);
            if (q.z2() == null) {
                Field25519.add(z, z, d);
            } else {
                Field25519.mul(z, q.z2(), d);
            }
            Field25519.differenceToMultiply(b, a, e);
            Field25519.sumToMultiply(b, a, h);
            if (subtract) {
                Field25519.sumToMultiply(d, c, f);
                Field25519.differenceToMultiply(d, c, g);
            } else {
                Field25519.differenceToMultiply(d, c, f);
                Field25519.sumToMultiply(d, c, g);
            }
            combine(withT);
        }

        /** dbl-2008-hwcd (a = −1); T is left stale unless {@code withT} (a doubling reads only X, Y, Z). */
        void twice(boolean withT) {
            Field25519.sqr(x, a);
            Field25519.sqr(y, b);
            Field25519.sqr(z, c);
            Field25519.add(c, c, c);
            Field25519.sumToMultiply(x, y, e);
            Field25519.sqr(e, e);
            Field25519.add(a, b, h);
            Field25519.differenceToMultiply(e, h, e); // (X + Y)² − A − B
            Field25519.sub(b, a, g); // D + B with D = −A
            Field25519.differenceToMultiply(g, c, f);
            Field25519.negate(h, h); // D − B
            combine(withT);
        }

        boolean isIdentity() {
            Field25519.sub(y, z, b);
            return Field25519.isZero(x) && Field25519.isZero(b);
        }

        /** X3 = E·F, Y3 = G·H, T3 = E·H, Z3 = F·G (shared by both formulas). */
        private void combine(boolean withT) {
            Field25519.mul(e, f, x);
            Field25519.mul(g, h, y);
            if (withT) {
                Field25519.mul(e, h, t);
            }
            Field25519.mul(f, g, z);
        }
    }

    private static long[] add(long[] a, long[] b) {
        long[] out = Field25519.create();
        Field25519.add(a, b, out);
        return out;
    }

    private static long[] sub(long[] a, long[] b) {
        long[] out = Field25519.create();
        Field25519.sub(a, b, out);
        return out;
    }

    private static long[] negated(long[] a) {
        long[] out = Field25519.create();
        Field25519.negate(a, out);
        return out;
    }

    private static long[] constant(BigInteger value) {
        byte[] le = new byte[32];
        byte[] be = value.toByteArray();
        for (int i = 0; i < be.length && i < 32; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return Field25519.decode(le, 0);
    }

    private static BigInteger littleEndian(byte[] bytes, int off, int len) {
        byte[] be = new byte[len + 1]; // a leading zero: non-negative
        for (int i = 0; i < len; i++) {
            be[len - i] = bytes[off + i];
        }
        return new BigInteger(be);
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
