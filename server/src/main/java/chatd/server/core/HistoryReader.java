package chatd.server.core;

import java.util.List;

/** Read side of history (SPEC §6), implemented by the store. */
public interface HistoryReader {
    /** A stored envelope and its position. */
    record Stored(long seq, byte[] json) {}

    /**
     * The newest {@code limit} messages of a target with {@code seq < before}, oldest first.
     * {@code key} is a folded channel name or a DM key from {@link Changes#dmKey}.
     */
    List<Stored> history(String key, long before, int limit);
}
