package chatd.protocol;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 signatures (RFC 8032) for server keys (SPEC §7.2, §7.4: every relayed event is signed by
 * its origin) and client signatures in {@code meta.sig}. Keys are raw bytes: a 32-byte private seed
 * and a 32-byte public key; signatures are 64 bytes; on the wire all three are standard base64.
 *
 * <p>Relay signs or verifies one signature per event, so the cheapest implementation at hand signs:
 * libsodium when the system has it ({@link Sodium}), else BouncyCastle's low-level classes (its JCA
 * provider, like the JDK's, costs about twenty times more per operation). Verification follows one rule
 * wherever a signature is checked, alone or in a batch: the cofactored equation of {@link Ed25519Batch}
 * (FEDERATION.md, "The verification rule"), so that no signature is accepted in one batch and refused in another.
 */
public final class Ed25519 {
    /** Decoded keys kept (about 25 KiB each with their tables): a server checks the keys of a few peers. */
    private static final int MAX_DECODED_KEYS = 256;
    private static final Map<ByteBuffer, Ed25519Batch.Key> DECODED_POINTS = new ConcurrentHashMap<>();
    /**
     * From this many signatures by one key on, a batch is cheaper than one by one (libsodium, about 40 µs each
     * here): a batch of 2 costs about 28 µs per signature, of 4 about 19 (bin/bench verify); a batch of one
     * costs about what libsodium does, which also answers most single checks alone.
     */
    static final int MIN_BATCH = 2;
    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    private Ed25519() {}

    /**
     * A signing key and the public key derived from it. The arrays are copied in and out, so a
     * caller cannot change a key another holds; {@link #toString()} never shows the private half.
     */
    public record KeyPair(byte[] privateKey, byte[] publicKey) {
        public KeyPair {
            privateKey = requireLength(privateKey, KEY_BYTES, "private key").clone();
            publicKey = requireLength(publicKey, KEY_BYTES, "public key").clone();
        }

        @Override
        public byte[] privateKey() {
            return privateKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof KeyPair that
                    && Arrays.equals(privateKey, that.privateKey)
                    && Arrays.equals(publicKey, that.publicKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(publicKey);
        }

        @Override
        public String toString() {
            return "Ed25519.KeyPair[publicKey=" + encodeKey(publicKey) + "]";
        }
    }

    /** A fresh key pair; the randomness is passed in so that this package never reaches for a system source itself. */
    public static KeyPair generate(SecureRandom random) {
        return fromPrivate(new Ed25519PrivateKeyParameters(random).getEncoded());
    }

    /** Rebuilds a key pair from its 32-byte private seed, as stored in configuration or the database. */
    public static KeyPair fromPrivate(byte[] seed32) {
        Ed25519PrivateKeyParameters key = privateKey(seed32);
        return new KeyPair(key.getEncoded(), key.generatePublicKey().getEncoded());
    }

    /** The 64-byte signature of {@code message}; Ed25519 is deterministic, so equal inputs sign equally. */
    public static byte[] sign(byte[] privateKey, byte[] message) {
        return new SigningKey(privateKey).sign(message);
    }

    /**
     * A private key ready to sign many messages: the public key that every signature needs is derived
     * once here instead of per signature (a quarter of the cost of signing). Thread-safe.
     */
    public static final class SigningKey {
        private final Ed25519PrivateKeyParameters key;
        private final byte[] nativeKey; // null without libsodium

        public SigningKey(byte[] privateKey) {
            this.key = privateKey(privateKey);
            key.generatePublicKey();
            this.nativeKey = Sodium.AVAILABLE ? Sodium.secretKey(key.getEncoded()) : null;
        }

        public byte[] sign(byte[] message) {
            return nativeKey != null ? Sodium.sign(nativeKey, message) : signInJava(message);
        }

        /** BouncyCastle's signature, whatever the backend: the tests compare the two. */
        byte[] signInJava(byte[] message) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, key);
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
    }

    /** Which implementation signs and verifies here: "libsodium" or "BouncyCastle" (for the startup log). */
    public static String backend() {
        return Sodium.AVAILABLE ? "libsodium" : "BouncyCastle";
    }

    /**
     * Whether {@code signature} is {@code publicKey}'s signature of {@code message} by this server's one rule,
     * the cofactored equation ({@link Ed25519Batch}), whether checked alone or in a batch. Any garbage (nulls,
     * wrong lengths, a public key that is not a curve point) is simply "not verified": the input comes from the
     * network, and a peer must not be able to turn a bad event into an exception.
     *
     * <p>libsodium answers first when the system has it: what it accepts (the cofactorless equation, canonical
     * R, A not of small order) the rule accepts too, so only what it refuses is checked again by the rule.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != KEY_BYTES || message == null
                || signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        if (Sodium.AVAILABLE && Sodium.verify(publicKey, message, signature)) {
            return true;
        }
        // a key not prepared by verifyEach (a peer's) is not worth preparing for long, nor keeping
        Ed25519Batch.Key key = DECODED_POINTS.get(ByteBuffer.wrap(publicKey));
        if (key == null) {
            key = Ed25519Batch.publicKeyForOneCheck(publicKey);
        }
        return key != null && Ed25519Batch.allValid(publicKey, key, List.of(message), List.of(signature));
    }

    /**
     * Whether each {@code signatures[i]} is {@code publicKey}'s signature of {@code messages[i]}, as
     * {@link #verify} answers one by one (the same rule), but checked in batches ({@link Ed25519Batch}, about
     * half the cost per signature): a batch that fails is halved until the bad signatures are found, so one bad signature
     * costs a few more batch checks; when both halves fail, they are checked one by one, so a request full of
     * forgeries costs at most about twice a one-by-one check.
     */
    public static boolean[] verifyEach(byte[] publicKey, List<byte[]> messages, List<byte[]> signatures) {
        Batches batches = new Batches(publicKey, publicKey == null || publicKey.length != KEY_BYTES ? null
                : cached(DECODED_POINTS, publicKey, Ed25519Batch::publicKey), messages, signatures);
        if (!batches.pass(0, signatures.size())) {
            batches.findBad(0, signatures.size());
        }
        return batches.valid;
    }

    /** One {@link #verifyEach}: its inputs and answers. */
    private record Batches(byte[] publicKey, Ed25519Batch.Key key, List<byte[]> messages, List<byte[]> signatures,
            boolean[] valid) {
        Batches(byte[] publicKey, Ed25519Batch.Key key, List<byte[]> messages, List<byte[]> signatures) {
            this(publicKey, key, messages, signatures, new boolean[signatures.size()]);
        }

        /** Whether [from, to) passes as one batch (then all are valid); false too when it is too small to try. */
        boolean pass(int from, int to) {
            if (key == null || to - from < MIN_BATCH || !wellFormed(messages, signatures, from, to)
                    || !Ed25519Batch.allValid(publicKey, key, messages.subList(from, to), signatures.subList(from, to))) {
                return false;
            }
            java.util.Arrays.fill(valid, from, to, true);
            return true;
        }

        /** [from, to) did not pass: finds its bad signatures. */
        void findBad(int from, int to) {
            int middle = (from + to) >>> 1;
            boolean low = to - from >= 2 * MIN_BATCH && pass(from, middle);
            boolean high = to - from >= 2 * MIN_BATCH && pass(middle, to);
            if (!low && !high) {
                for (int i = from; i < to; i++) {
                    valid[i] = verify(publicKey, messages.get(i), signatures.get(i));
                }
                return;
            }
            if (!low) {
                findBad(from, middle);
            }
            if (!high) {
                findBad(middle, to);
            }
        }
    }

    private static boolean wellFormed(List<byte[]> messages, List<byte[]> signatures, int from, int to) {
        for (int i = from; i < to; i++) {
            if (messages.get(i) == null || signatures.get(i) == null || signatures.get(i).length != SIGNATURE_BYTES) {
                return false;
            }
        }
        return true;
    }

    /** A decoded key from a bounded cache (cleared when full); a key that does not decode (null) is not kept. */
    private static <T> T cached(Map<ByteBuffer, T> cache, byte[] publicKey, java.util.function.Function<byte[], T> decode) {
        T decoded = cache.get(ByteBuffer.wrap(publicKey));
        if (decoded == null) {
            decoded = decode.apply(publicKey);
            if (cache.size() >= MAX_DECODED_KEYS) {
                cache.clear();
            }
            if (decoded != null) {
                cache.put(ByteBuffer.wrap(publicKey.clone()), decoded); // a key the caller cannot change
            }
        }
        return decoded;
    }

    /** Standard base64 of a 32-byte key. */
    public static String encodeKey(byte[] key) {
        return Base64.getEncoder().encodeToString(requireLength(key, KEY_BYTES, "key"));
    }

    /** Decodes a standard-base64 key (padding optional); anything but exactly 32 bytes is an {@link IllegalArgumentException}. */
    public static byte[] decodeKey(String base64) {
        return decode(base64, KEY_BYTES, "key");
    }

    /** Standard base64 of a 64-byte signature, as carried in {@code sig} fields. */
    public static String encodeSignature(byte[] signature) {
        return Base64.getEncoder().encodeToString(requireLength(signature, SIGNATURE_BYTES, "signature"));
    }

    /** Decodes a standard-base64 signature; anything but exactly 64 bytes is an {@link IllegalArgumentException}. */
    public static byte[] decodeSignature(String base64) {
        return decode(base64, SIGNATURE_BYTES, "signature");
    }

    private static Ed25519PrivateKeyParameters privateKey(byte[] seed) {
        return new Ed25519PrivateKeyParameters(requireLength(seed, KEY_BYTES, "private key"));
    }

    private static byte[] decode(String base64, int length, String what) {
        if (base64 == null) {
            throw new IllegalArgumentException("missing " + what);
        }
        return requireLength(Base64.getDecoder().decode(base64), length, what);
    }

    private static byte[] requireLength(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return bytes;
    }
}
