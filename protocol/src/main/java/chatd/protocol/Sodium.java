package chatd.protocol;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * libsodium's Ed25519, when the system has it (Debian: {@code libsodium23}): signing is about 2.5 and
 * verification about 1.6 times cheaper than BouncyCastle on the same core, and a relaying server does one
 * or the other for every event. Bound with JNA's direct mapping, so a call costs about a microsecond.
 * Without the library (or with {@code -Dchatd.ed25519=java}) {@link Ed25519} stays on BouncyCastle;
 * both give the same signatures (Ed25519 is deterministic).
 */
final class Sodium {
    static final boolean AVAILABLE = load();

    private Sodium() {}

    private static boolean load() {
        if ("java".equals(System.getProperty("chatd.ed25519"))) {
            return false;
        }
        try {
            Native.register(Sodium.class, NativeLibrary.getInstance("sodium"));
            return sodium_init() >= 0;
        } catch (LinkageError | RuntimeException absent) {
            return false;
        }
    }

    /** The 64-byte secret key libsodium signs with (seed followed by public key) for a 32-byte seed. */
    static byte[] secretKey(byte[] seed) {
        byte[] publicKey = new byte[Ed25519.KEY_BYTES];
        byte[] secretKey = new byte[2 * Ed25519.KEY_BYTES];
        crypto_sign_ed25519_seed_keypair(publicKey, secretKey, seed);
        return secretKey;
    }

    static byte[] sign(byte[] secretKey, byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_BYTES];
        crypto_sign_ed25519_detached(signature, null, message, message.length, secretKey);
        return signature;
    }

    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        return crypto_sign_ed25519_verify_detached(signature, message, message.length, publicKey) == 0;
    }

    // The C names, as JNA's direct mapping binds them.
    private static native int sodium_init();

    private static native int crypto_sign_ed25519_seed_keypair(byte[] pk, byte[] sk, byte[] seed);

    private static native int crypto_sign_ed25519_detached(byte[] sig, Pointer siglen, byte[] m, long mlen, byte[] sk);

    private static native int crypto_sign_ed25519_verify_detached(byte[] sig, byte[] m, long mlen, byte[] pk);
}
