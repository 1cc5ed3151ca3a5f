package chatd.server.federation;

import chatd.protocol.Hmac;
import chatd.protocol.Jcs;
import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared-key link handshake (SPEC §7.2), challenge–response both ways in two round trips on
 * {@code POST /api/v1/federation/link}:
 * <ol>
 *   <li>{@code hello}: the dialler sends {@code server, url, key, nonce, ts} and an HMAC-SHA256 under
 *       the shared key over the JCS form of those fields. The receiver checks skew (±5 min), nonce
 *       freshness and the MAC, and answers {@code server, key, nonce, peer_nonce, ts, mac}: its own
 *       fresh nonce, and a MAC that covers the dialler's nonce (the dialler's challenge answered).</li>
 *   <li>{@code confirm}: the dialler answers the receiver's challenge with a MAC over
 *       {@code server, nonce (the receiver's), peer_nonce (its own), ts}; only then is the link up on
 *       the receiver.</li>
 * </ol>
 * Holds the nonces already seen (replays refused) and the receiver's pending challenges. Thread-safe.
 */
final class LinkHandshake {
    static final long SKEW_MILLIS = 5 * 60 * 1000;
    private static final long PENDING_MILLIS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A hello accepted by the receiver, waiting for the dialler's confirm. */
    record Pending(String server, String url, String publicKey, String dialerNonce, byte[] sharedKey, long createdMillis) {}

    private final Map<String, Long> seenNonces = new LinkedHashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] keyBytes(String sharedKey) {
        return sharedKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds {@code mac} (HMAC-SHA256 over JCS of the object without mac). */
    static ObjectNode seal(ObjectNode message, byte[] key) {
        message.remove("mac");
        message.put("mac", Base64.getEncoder().encodeToString(Hmac.sha256(key, Jcs.canonicalize(message))));
        return message;
    }

    static boolean verifyMac(JsonNode message, byte[] key) {
        JsonNode mac = message.get("mac");
        if (mac == null || !mac.isTextual()) {
            return false;
        }
        ObjectNode copy = ((ObjectNode) message).deepCopy();
        copy.remove("mac");
        try {
            return Hmac.verify(key, Jcs.canonicalize(copy), Base64.getDecoder().decode(mac.textValue()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean fresh(long tsMillis, long nowMillis) {
        return Math.abs(nowMillis - tsMillis) <= SKEW_MILLIS;
    }

    static ObjectNode hello(String server, String url, String publicKey, String nonce, long nowMillis, byte[] key) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("step", "hello").put("server", server).put("url", url)
                .put("key", publicKey).put("nonce", nonce).put("ts", nowMillis);
        return seal(m, key);
    }

    static ObjectNode answer(String server, String publicKey, String nonce, String peerNonce, long nowMillis, byte[] key) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("server", server).put("key", publicKey).put("nonce", nonce)
                .put("peer_nonce", peerNonce).put("ts", nowMillis);
        return seal(m, key);
    }

    static ObjectNode confirm(String server, String receiverNonce, String ownNonce, long nowMillis, byte[] key) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("step", "confirm").put("server", server)
                .put("nonce", receiverNonce).put("peer_nonce", ownNonce).put("ts", nowMillis);
        return seal(m, key);
    }

    /** Records a nonce; false when it was already seen within the skew window (a replay). */
    synchronized boolean firstUse(String nonce, long nowMillis) {
        Iterator<Map.Entry<String, Long>> it = seenNonces.entrySet().iterator();
        while (it.hasNext() && (it.next().getValue() < nowMillis - 2 * SKEW_MILLIS || seenNonces.size() > 100_000)) {
            it.remove();
        }
        return seenNonces.putIfAbsent(nonce, nowMillis) == null;
    }

    synchronized void expect(String receiverNonce, Pending p) {
        pending.values().removeIf(x -> x.createdMillis() < p.createdMillis() - PENDING_MILLIS);
        pending.put(receiverNonce, p);
    }

    /** The pending hello a confirm answers (taken: a confirm is accepted once). */
    synchronized Pending take(String receiverNonce, String server, long nowMillis) {
        Pending p = pending.get(receiverNonce);
        if (p == null || !p.server().equals(server) || p.createdMillis() < nowMillis - PENDING_MILLIS) {
            return null;
        }
        pending.remove(receiverNonce);
        return p;
    }
}
