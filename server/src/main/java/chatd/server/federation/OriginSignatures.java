package chatd.server.federation;

import chatd.protocol.Ed25519;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The origin signatures of a relayed batch, checked before the events are: all events of one known origin
 * together ({@link Ed25519#verifyEach}, a batch verification at about half the cost of checking each on its
 * own; a bad signature is still found and refused alone). Checking an origin's signature was half of a
 * receiving server's CPU. Events whose origin is introduced in the same batch, or whose signature is not
 * even readable, are left to {@link Signer#verifyEvent} one by one.
 */
final class OriginSignatures {
    /** Per event: the key its signature was checked with, or null when it was not checked here. */
    private final byte[][] keys;
    private final boolean[] valid;

    private OriginSignatures(int size) {
        this.keys = new byte[size][];
        this.valid = new boolean[size];
    }

    /** Checks the signatures of {@code events} whose origin {@code keyOf} knows (null: unknown). */
    static OriginSignatures check(JsonNode events, Function<String, byte[]> keyOf) {
        OriginSignatures out = new OriginSignatures(events.size());
        Map<String, List<Integer>> byOrigin = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String origin = event.isObject() ? FederationRelay.text(event, "origin") : null;
            if (origin != null && FederationRelay.text(event, "sig") != null) {
                byOrigin.computeIfAbsent(origin, o -> new ArrayList<>()).add(i);
            }
        }
        byOrigin.forEach((origin, indexes) -> {
            byte[] key = keyOf.apply(origin);
            if (key != null) {
                out.checkAll(events, indexes, key);
            }
        });
        return out;
    }

    private void checkAll(JsonNode events, List<Integer> indexes, byte[] key) {
        List<Integer> readable = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (int i : indexes) {
            try {
                byte[] signature = Ed25519.decodeSignature(FederationRelay.text(events.get(i), "sig"));
                messages.add(Signer.eventBytes(events.get(i)));
                signatures.add(signature);
                readable.add(i);
            } catch (IllegalArgumentException unreadable) {
                // left to the one-by-one check, which refuses it
            }
        }
        boolean[] verified = Ed25519.verifyEach(key, messages, signatures);
        for (int j = 0; j < verified.length; j++) {
            keys[readable.get(j)] = key;
            valid[readable.get(j)] = verified[j];
        }
    }

    /** Whether event {@code index} carries a valid signature by {@code key}: checked here, or now. */
    boolean valid(int index, JsonNode event, byte[] key) {
        return Arrays.equals(keys[index], key) ? valid[index] : Signer.verifyEvent(event, key);
    }
}
