package chatd.server.core;

import chatd.protocol.Hashcash;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The hashcash gate on new sessions and registrations (SPEC §3): a valid stamp for this server, spent
 * once. {@link #NONE} when {@code HASHCASH_BITS} is 0. Guarded by the state lock.
 */
public class StampPolicy {
    public static final StampPolicy NONE = new StampPolicy(0, "") {
        @Override
        void admit(String stamp, Changes changes) {}
    };

    private static final long KEEP_MILLIS = 3L * 24 * 3600 * 1000;
    private final int bits;
    private final String resource;
    private final Map<String, Long> spent = new HashMap<>();

    public StampPolicy(int bits, String resource) {
        this.bits = bits;
        this.resource = resource;
    }

    public int bits() {
        return bits;
    }

    void remember(String stamp, long atMillis) {
        spent.put(stamp, atMillis);
    }

    /** Checks and spends the stamp, or throws the 402 refusal. */
    void admit(String stamp, Changes changes) {
        if (stamp == null || stamp.isEmpty()) {
            throw new ChatError(ChatError.Kind.HASHCASH_REQUIRED,
                    "a hashcash stamp of " + bits + " bits for resource " + resource + " is required");
        }
        LocalDate today = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(changes.nowMillis()), ZoneOffset.UTC);
        Hashcash.Verdict verdict = Hashcash.verify(stamp, bits, resource, today);
        if (!verdict.isValid()) {
            throw new ChatError(ChatError.Kind.HASHCASH_INVALID, "hashcash stamp refused: " + verdict);
        }
        if (spent.containsKey(stamp)) {
            throw new ChatError(ChatError.Kind.HASHCASH_INVALID, "hashcash stamp already spent");
        }
        long now = changes.nowMillis();
        spent.values().removeIf(t -> now - t > KEEP_MILLIS);
        spent.put(stamp, now);
        changes.persist(new Mutation.SpendStamp(stamp, now));
    }
}
