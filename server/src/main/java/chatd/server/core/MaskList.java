package chatd.server.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One of a channel's mask lists — bans ({@code +b}), ban exceptions ({@code +e}), invite exceptions
 * ({@code +I}) — in the order they were set. Masks are globs ({@code *}, {@code ?}) matched without regard
 * to case against a user's address ({@code nick!nick@server}); a mask is listed once. Guarded by the state lock.
 */
public final class MaskList {
    /** The most masks one list holds (ISUPPORT {@code MAXLIST}); more are refused with 478. */
    public static final int LIMIT = 100;

    private final List<String> masks = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();

    /** Does any mask match {@code address}? Cheap when the list is empty (it is checked on every message). */
    public boolean matches(String address) {
        for (Pattern p : patterns) {
            if (p.matcher(address).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(String mask) {
        return indexOf(mask) >= 0;
    }

    public boolean isFull() {
        return masks.size() >= LIMIT;
    }

    /** Adds a mask; false when it is listed already. */
    public boolean add(String mask) {
        if (contains(mask)) {
            return false;
        }
        masks.add(mask);
        patterns.add(globToRegex(mask));
        return true;
    }

    /** Removes a mask; false when it was not listed. */
    public boolean remove(String mask) {
        int i = indexOf(mask);
        if (i < 0) {
            return false;
        }
        masks.remove(i);
        patterns.remove(i);
        return true;
    }

    public boolean isEmpty() {
        return masks.isEmpty();
    }

    /** The masks in the order they were set (read-only). */
    public List<String> masks() {
        return Collections.unmodifiableList(masks);
    }

    private int indexOf(String mask) {
        for (int i = 0; i < masks.size(); i++) {
            if (masks.get(i).equalsIgnoreCase(mask)) {
                return i;
            }
        }
        return -1;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }
}
