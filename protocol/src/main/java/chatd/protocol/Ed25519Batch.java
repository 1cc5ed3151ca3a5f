package chatd.protocol;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Batch verification of many Ed25519 signatures by one key (a relayed batch is mostly one origin's events):
 * with random 128-bit weights z_i, all n signatures (R_i, s_i) of messages M_i hold when
 * {@code [8]([Σ z_i s_i] B − Σ [z_i] R_i − [Σ z_i k_i] A) = 0}, k_i = SHA-512(R_i ‖ A ‖ M_i) mod L. One
 * multi-scalar multiplication shares its doublings between all terms, and the weights are half as long as
 * a signature's scalars, so a signature costs about half of libsodium's single verification here (more in
 * small batches: a batch's 128 doublings are shared by its signatures). An invalid signature passes with
 * probability at most 2^-128; when the check fails, the caller splits the batch to find the bad ones. This is RFC 8032's cofactored check (§5.1.7 allows it); a signature that passes here and not a
 * cofactorless check differs from a valid one by a small-order point, which only the key's owner can make.
 *
 * <p>Field arithmetic is BouncyCastle's {@link X25519Field} (ten 25.5-bit limbs); points are in extended
 * coordinates (X:Y:Z:T) on −x² + y² = 1 + d x² y², added and doubled with the formulas of Hisil, Wong,
 * Carter and Dawson (2008). Not constant time: it handles public data only.
 */
final class Ed25519Batch {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final int[] D = constant(BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P));
    private static final int[] D2 = constant(BigInteger.valueOf(-121665 * 2L).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P));
    private static final Point BASE = decode(java.util.HexFormat.of().parseHex(
            "5866666666666666666666666666666666666666666666666666666666666666"), 0);
    /** Scalars are split at this bit, so that a batch needs only as many doublings as its 128-bit weights. */
    private static final int SPLIT = 128;
    private static final BigInteger LOW_BITS = BigInteger.ONE.shiftLeft(SPLIT).subtract(BigInteger.ONE);
    private static final Key BASE_TABLES = Key.of(BASE);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int WINDOW = 5;

    private Ed25519Batch() {}

    /**
     * A point ready for the batch equation with a full-length scalar k = k_low + 2^128 k_high: the odd
     * multiples of P and of [2^128]P, so that [k]P costs no doublings beyond the 128 the batch makes anyway.
     */
    record Key(Cached[] low, Cached[] high) {
        static Key of(Point p) {
            Point shifted = p;
            for (int i = 0; i < SPLIT; i++) {
                shifted = shifted.twice();
            }
            return new Key(oddMultiples(p), oddMultiples(shifted));
        }
    }

    /**
     * A public key decoded and prepared once (a server checks a few peers' keys over and over); null when the
     * bytes are not a point, or a point of small order, which no honest key is.
     */
    static Key publicKey(byte[] publicKey) {
        Point a = decode(publicKey, 0);
        return a == null || a.times8().isIdentity() ? null : Key.of(a);
    }

    /**
     * Whether every signature is {@code key}'s signature of its message. False when any is not, or cannot be
     * told apart here (malformed R or s): the caller then checks each on its own.
     */
    static boolean allValid(byte[] publicKey, Key key, List<byte[]> messages, List<byte[]> signatures) {
        int n = signatures.size();
        Cached[][] tables = new Cached[n + 4][];
        BigInteger[] scalars = new BigInteger[n + 4];
        byte[] weights = new byte[16 * n];
        RANDOM.nextBytes(weights);
        BigInteger sumS = BigInteger.ZERO;
        BigInteger sumK = BigInteger.ZERO;
        MessageDigest sha512 = sha512();
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
            BigInteger z = littleEndian(weights, 16 * i, 16);
            sumS = sumS.add(z.multiply(s));
            sumK = sumK.add(z.multiply(k));
            tables[i] = oddMultiples(r.negate());
            scalars[i] = z;
        }
        BigInteger s = sumS.mod(L);
        BigInteger minusK = L.subtract(sumK.mod(L)).mod(L); // [L − K]A = −[K]A
        tables[n] = BASE_TABLES.low();
        scalars[n] = s.and(LOW_BITS);
        tables[n + 1] = BASE_TABLES.high();
        scalars[n + 1] = s.shiftRight(SPLIT);
        tables[n + 2] = key.low();
        scalars[n + 2] = minusK.and(LOW_BITS);
        tables[n + 3] = key.high();
        scalars[n + 3] = minusK.shiftRight(SPLIT);
        return multiScalar(tables, scalars).times8().isIdentity();
    }

    /**
     * Σ [scalars_i] P_i by Straus' method: one run of doublings for all terms, each P_i added from its table of
     * odd multiples ({@link #oddMultiples}) by the signed digits of its scalar (width-5 NAF: about one addition
     * per six bits).
     */
    static Point multiScalar(Cached[][] tables, BigInteger[] scalars) {
        int length = 0;
        byte[][] digits = new byte[tables.length][];
        for (int i = 0; i < tables.length; i++) {
            digits[i] = nafDigits(scalars[i]);
            length = Math.max(length, digits[i].length);
        }
        Point acc = Point.identity();
        for (int bit = length - 1; bit >= 0; bit--) {
            acc = acc.twice();
            for (int i = 0; i < tables.length; i++) {
                int digit = bit < digits[i].length ? digits[i][bit] : 0;
                if (digit != 0) {
                    acc = acc.plus(tables[i][Math.abs(digit) >> 1], digit < 0);
                }
            }
        }
        return acc;
    }

    /**
     * The width-5 non-adjacent form of a non-negative scalar, least significant first: Σ digits_i 2^i, each
     * digit 0 or odd in ±1..15, any two non-zero digits at least five positions apart.
     */
    static byte[] nafDigits(BigInteger scalar) {
        int bits = scalar.bitLength();
        byte[] digits = new byte[bits + WINDOW + 1];
        int carry = 0;
        int i = 0;
        while (i < bits) {
            if (((scalar.testBit(i) ? 1 : 0) + carry & 1) == 0) {
                carry = (scalar.testBit(i) ? 1 : 0) + carry >> 1;
                i++;
                continue;
            }
            int value = carry;
            for (int j = 0; j < WINDOW; j++) {
                value += scalar.testBit(i + j) ? 1 << j : 0;
            }
            carry = value >= 1 << (WINDOW - 1) ? 1 : 0;
            digits[i] = (byte) (value - (carry << WINDOW));
            i += WINDOW;
        }
        if (carry != 0) {
            digits[i] = 1;
        }
        return digits;
    }

    /** P, 3P, 5P, … 15P, ready to be added. */
    static Cached[] oddMultiples(Point p) {
        Cached[] table = new Cached[1 << (WINDOW - 2)];
        Point twice = p.twice();
        Point multiple = p;
        for (int k = 0; k < table.length; k++) {
            if (k > 0) {
                multiple = multiple.plus(twice);
            }
            table[k] = multiple.cached();
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
        int[] y = X25519Field.create();
        X25519Field.decode(bytes, off, y); // ignores the top bit: x's sign
        int xSign = (bytes[off + 31] >>> 7) & 1;
        int[] u = X25519Field.create();
        int[] v = X25519Field.create();
        X25519Field.sqr(y, u);
        X25519Field.mul(D, u, v);
        X25519Field.subOne(u);
        X25519Field.addOne(v);
        int[] x = X25519Field.create();
        if (!X25519Field.sqrtRatioVar(u, v, x)) {
            return null;
        }
        X25519Field.normalize(x);
        if (xSign == 1 && X25519Field.isZeroVar(x)) {
            return null;
        }
        if ((x[0] & 1) != xSign) {
            X25519Field.negate(x, x);
            X25519Field.normalize(x);
        }
        int[] z = X25519Field.create();
        X25519Field.one(z);
        int[] t = X25519Field.create();
        X25519Field.mul(x, y, t);
        return new Point(x, y, z, t);
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

    /** A point in extended coordinates: x = X/Z, y = Y/Z, xy = T/Z. Immutable. */
    record Point(int[] x, int[] y, int[] z, int[] t) {
        static Point identity() {
            int[] zero = X25519Field.create();
            int[] one = X25519Field.create();
            X25519Field.one(one);
            return new Point(zero, one.clone(), one, X25519Field.create());
        }

        Point negate() {
            return new Point(negated(x), y, z, negated(t));
        }

        /** add-2008-hwcd-3 (a = −1): complete, so it also doubles and adds the identity. */
        Point plus(Point q) {
            return plus(q.cached(), false);
        }

        /** This point plus {@code q} (minus {@code q} when {@code subtract}). */
        Point plus(Cached q, boolean subtract) {
            int[] a = sub(y, x);
            X25519Field.mul(a, subtract ? q.yPlusX : q.yMinusX, a);
            int[] b = add(y, x);
            X25519Field.mul(b, subtract ? q.yMinusX : q.yPlusX, b);
            int[] c = X25519Field.create();
            X25519Field.mul(t, q.t2d, c);
            int[] d = X25519Field.create();
            X25519Field.mul(z, q.z2, d);
            return subtract ? combine(sub(b, a), add(d, c), sub(d, c), add(b, a))
                    : combine(sub(b, a), sub(d, c), add(d, c), add(b, a));
        }

        /** The form an addition needs of its second point: Y + X, Y − X, 2d·T, 2Z. */
        Cached cached() {
            int[] t2d = X25519Field.create();
            X25519Field.mul(t, D2, t2d);
            return new Cached(add(y, x), sub(y, x), t2d, add(z, z));
        }

        /** dbl-2008-hwcd (a = −1). */
        Point twice() {
            int[] a = X25519Field.create();
            X25519Field.sqr(x, a);
            int[] b = X25519Field.create();
            X25519Field.sqr(y, b);
            int[] c = X25519Field.create();
            X25519Field.sqr(z, c);
            c = add(c, c);
            int[] e = X25519Field.create();
            X25519Field.sqr(add(x, y), e);
            e = sub(sub(e, a), b);
            int[] g = sub(b, a); // D + B with D = −A
            int[] f = sub(g, c);
            int[] h = sub(negated(a), b); // D − B
            return combine(e, f, g, h);
        }

        Point times8() {
            return twice().twice().twice();
        }

        boolean isIdentity() {
            int[] nx = x.clone();
            X25519Field.normalize(nx);
            int[] diff = sub(y, z);
            X25519Field.normalize(diff);
            return X25519Field.isZeroVar(nx) && X25519Field.isZeroVar(diff);
        }

        /** X3 = E·F, Y3 = G·H, T3 = E·H, Z3 = F·G (shared by both formulas). */
        private static Point combine(int[] e, int[] f, int[] g, int[] h) {
            int[] x3 = X25519Field.create();
            int[] y3 = X25519Field.create();
            int[] z3 = X25519Field.create();
            int[] t3 = X25519Field.create();
            X25519Field.mul(e, f, x3);
            X25519Field.mul(g, h, y3);
            X25519Field.mul(e, h, t3);
            X25519Field.mul(f, g, z3);
            return new Point(x3, y3, z3, t3);
        }
    }

    /** A point prepared to be added ({@link Point#cached()}). */
    record Cached(int[] yPlusX, int[] yMinusX, int[] t2d, int[] z2) {}

    private static int[] add(int[] a, int[] b) {
        int[] out = X25519Field.create();
        X25519Field.add(a, b, out);
        X25519Field.carry(out);
        return out;
    }

    private static int[] sub(int[] a, int[] b) {
        int[] out = X25519Field.create();
        X25519Field.sub(a, b, out);
        X25519Field.carry(out);
        return out;
    }

    private static int[] negated(int[] a) {
        int[] out = X25519Field.create();
        X25519Field.negate(a, out);
        X25519Field.carry(out);
        return out;
    }

    private static int[] constant(BigInteger value) {
        byte[] le = new byte[32];
        byte[] be = value.toByteArray();
        for (int i = 0; i < be.length && i < 32; i++) {
            le[i] = be[be.length - 1 - i];
        }
        int[] out = X25519Field.create();
        X25519Field.decode(le, 0, out);
        return out;
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
