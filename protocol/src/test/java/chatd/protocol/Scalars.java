package chatd.protocol;

import java.math.BigInteger;

/** The tests' conversions between Ed25519's 32-byte little-endian encodings and numbers. */
final class Scalars {
    private Scalars() {}

    /** The unsigned number in {@code bytes[off..off+32)}, least significant byte first. */
    static BigInteger littleEndian(byte[] bytes, int off) {
        return littleEndian(bytes, off, 32);
    }

    /** The unsigned number in {@code bytes[off..off+len)}, least significant byte first. */
    static BigInteger littleEndian(byte[] bytes, int off, int len) {
        byte[] be = new byte[len + 1];
        for (int i = 0; i < len; i++) {
            be[len - i] = bytes[off + i];
        }
        return new BigInteger(be);
    }

    /** {@code value} (below 2^256) as 32 bytes, least significant first. */
    static byte[] toLittleEndian(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }
}
