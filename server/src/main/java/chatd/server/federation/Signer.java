package chatd.server.federation;

import chatd.protocol.Ed25519;
import chatd.protocol.Jcs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * This server's Ed25519 identity and the two things it signs (SPEC §7.4): each event it originates
 * (over the JCS form of the event without {@code sig} and {@code hops}, so the signature survives
 * forwarding), and each relay request it sends (over method, path, timestamp and the body's SHA-256,
 * so a captured request cannot be replayed with another body or at another time).
 */
final class Signer {
    static final String HEADER_SERVER = "X-Chatd-Server";
    static final String HEADER_TS = "X-Chatd-Timestamp";
    static final String HEADER_SIG = "X-Chatd-Signature";

    /** The members of an event its origin's signature does not cover: forwarding changes hops, and sig is the signature. */
    private static final Set<String> UNSIGNED = Set.of("sig", "hops");

    private final Ed25519.KeyPair keys;
    private final Ed25519.SigningKey signingKey;

    Signer(Ed25519.KeyPair keys) {
        this.keys = keys;
        this.signingKey = new Ed25519.SigningKey(keys.privateKey());
    }

    String publicKey() {
        return Ed25519.encodeKey(keys.publicKey());
    }

    /**
     * The wire form of an event originated here, signed: its signed bytes (JCS, without sig and hops) are
     * also its JSON, with {@code hops} and {@code sig} put in front, so the event is written once, not
     * canonicalized for the signature and then serialized again for the outbox.
     */
    String signedJson(ObjectNode event) {
        byte[] signed = eventBytes(event);
        String sig = Ed25519.encodeSignature(signingKey.sign(signed));
        String canonical = new String(signed, StandardCharsets.UTF_8);
        return "{\"hops\":" + event.path("hops").asInt() + ",\"sig\":\"" + sig + "\"," + canonical.substring(1);
    }

    /** Whether the event's {@code sig} is {@code publicKey}'s signature of it. Never throws on garbage. */
    static boolean verifyEvent(JsonNode event, byte[] publicKey) {
        JsonNode sig = event.get("sig");
        if (sig == null || !sig.isTextual()) {
            return false;
        }
        try {
            return Ed25519.verify(publicKey, eventBytes(event), Ed25519.decodeSignature(sig.textValue()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The signed bytes of an event: its JCS form without sig and hops. */
    static byte[] eventBytes(JsonNode event) {
        return Jcs.canonicalizeWithout(event, UNSIGNED);
    }

    String signRequest(String method, String path, long tsMillis, byte[] body) {
        return Ed25519.encodeSignature(signingKey.sign(requestBytes(method, path, tsMillis, body)));
    }

    static boolean verifyRequest(byte[] publicKey, String method, String path, long tsMillis, byte[] body, String sig) {
        try {
            return Ed25519.verify(publicKey, requestBytes(method, path, tsMillis, body), Ed25519.decodeSignature(sig));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] requestBytes(String method, String path, long tsMillis, byte[] body) {
        return (method + "\n" + path + "\n" + tsMillis + "\n" + sha256Hex(body)).getBytes(StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
