package chatd.protocol;

import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-SHA256 (RFC 2104) under a federation link's shared key (SPEC §7.2): it proves the other side
 * of a link handshake knows the key without the key ever crossing the wire.
 *
 * <p>BouncyCastle's {@link HMac} is used instead of {@code javax.crypto.Mac} because the JCA refuses
 * an empty key, which RFC 2104 allows; the result is the same for every other key.
 */
public final class Hmac {
    public static final int MAC_BYTES = 32;

    private Hmac() {}

    /** The 32-byte HMAC-SHA256 of {@code message} under {@code key}. */
    public static byte[] sha256(byte[] key, byte[] message) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] out = new byte[MAC_BYTES];
        mac.doFinal(out, 0);
        return out;
    }

    /**
     * Whether {@code mac} is the HMAC of {@code message} under {@code key}, compared in constant time
     * so that response timing does not reveal how many leading bytes of a forged MAC were right.
     * A null or wrong-length {@code mac} is simply false.
     */
    public static boolean verify(byte[] key, byte[] message, byte[] mac) {
        return mac != null && MessageDigest.isEqual(sha256(key, message), mac);
    }
}
