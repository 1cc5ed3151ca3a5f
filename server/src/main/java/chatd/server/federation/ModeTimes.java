package chatd.server.federation;

import chatd.protocol.ModeChange;
import chatd.protocol.Modes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each channel mode ({@code i m n s t k l}) last changed, and on which server: the conflict rule
 * after a split is "the newest change of a mode wins; on equal times, the smaller server name". Each
 * letter is its own register, so {@code +m} set on one side and {@code +i} on the other both survive.
 * A change that loses is not applied (and not shown to local members). Guarded by the state lock.
 */
final class ModeTimes {
    static final String LETTERS = "imnstkl";

    /** When a mode changed, and where. */
    record Stamp(long millis, String server) {
        boolean beats(Stamp other) {
            if (other == null) {
                return true;
            }
            if (millis != other.millis) {
                return millis > other.millis;
            }
            return server.compareTo(other.server) <= 0;
        }
    }

    /** One stored row: channel (folded), mode letter. */
    record Key(String channel, char mode) {}

    private final Map<Key, Stamp> stamps = new HashMap<>();

    static boolean tracked(char mode) {
        return LETTERS.indexOf(mode) >= 0;
    }

    Stamp get(String channel, char mode) {
        return stamps.get(new Key(channel, mode));
    }

    /**
     * Records a change of {@code mode} made at {@code stamp} if it wins over the one known; answers
     * whether it won (and so is to be applied).
     */
    boolean offer(String channel, char mode, Stamp stamp) {
        Key key = new Key(channel, mode);
        if (!stamp.beats(stamps.get(key))) {
            return false;
        }
        stamps.put(key, stamp);
        return true;
    }

    /** Records every tracked letter of a mode string applied here (a local MODE). */
    void local(String channel, String modeString, Stamp stamp) {
        for (char c : modeString.toCharArray()) {
            if (tracked(c)) {
                stamps.put(new Key(channel, c), stamp);
            }
        }
    }

    /** The stamps of one channel, by letter. */
    Map<Character, Stamp> of(String channel) {
        Map<Character, Stamp> out = new HashMap<>();
        stamps.forEach((k, v) -> {
            if (k.channel().equals(channel)) {
                out.put(k.mode(), v);
            }
        });
        return out;
    }

    Map<Key, Stamp> all() {
        return stamps;
    }

    void forgetChannelsNotIn(java.util.function.Predicate<String> exists) {
        stamps.keySet().removeIf(k -> !exists.test(k.channel()));
    }

    /**
     * Keeps the changes of a remote MODE ({@code params}: mode string then arguments) that win, and
     * records their stamps; prefix modes and bans always pass. Answers the filtered params, or an empty
     * list when nothing is left.
     */
    List<String> filter(String channel, List<String> params, Stamp stamp) {
        if (params.isEmpty()) {
            return params;
        }
        List<ModeChange> kept = new ArrayList<>();
        for (ModeChange change : Modes.parse(params)) {
            if (!change.missingArgument() && (!tracked(change.mode()) || offer(channel, change.mode(), stamp))) {
                kept.add(change);
            }
        }
        return kept.isEmpty() ? List.of() : Modes.format(kept);
    }
}
