package chatd.server.core;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Read side of history (SPEC §6), implemented by the store. Keys are folded channel names or {@link Changes#dmKey}s. */
public interface HistoryReader {
    /** A stored envelope and its position. */
    record Stored(long seq, byte[] json) {}

    /**
     * Which messages of one target to read: those strictly between the bounds, by position ({@code seq})
     * and by the time they were stored (epoch milliseconds); at most {@code limit}, the newest ones when
     * {@code newest} is set, else the oldest; only {@code commands} when that set is not empty.
     */
    record Range(long afterSeq, long beforeSeq, long afterMillis, long beforeMillis, int limit, boolean newest,
            Set<String> commands) {}

    /** A target with history and the time of its newest message there. */
    record Activity(String key, long lastMillis) {}

    /** The messages of a target in {@code range}, oldest first. */
    List<Stored> history(String key, Range range);

    /** The position of a message (by its id) in a target's history; empty when it is not there (or trimmed). */
    OptionalLong seqOf(String key, String messageId);

    /**
     * The targets among {@code channelKeys} and the DMs of {@code dmParty} (a folded nick) whose newest message of
     * {@code commands} was stored strictly between the two times, the least recently active first, at most {@code limit}.
     */
    List<Activity> activity(Collection<String> channelKeys, String dmParty, long afterMillis, long beforeMillis, int limit,
            Set<String> commands);
}
