package chatd.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses and writes the parameters of a channel MODE: a mode string, then the arguments in the order
 * of the letters that take one ({@code ["+ov-k", "alice", "bob", "key"]}).
 */
public final class Modes {
    private Modes() {}

    /**
     * The changes of {@code params} in order. {@code -k} takes its argument when one is there (clients
     * send {@code -k <key>}, servers echo {@code -k *}), so later arguments stay with their letters.
     */
    public static List<ModeChange> parse(List<String> params) {
        List<ModeChange> out = new ArrayList<>();
        if (params.isEmpty()) {
            return out;
        }
        boolean adding = true;
        int next = 1;
        for (char c : params.getFirst().toCharArray()) {
            if (c == '+' || c == '-') {
                adding = c == '+';
                continue;
            }
            boolean takes = ModeChange.needsArgument(c, adding) || (!adding && c == 'k');
            String arg = takes && next < params.size() ? params.get(next++) : null;
            out.add(new ModeChange(adding, c, arg));
        }
        return out;
    }

    /** The MODE parameters that state these changes: one sign per run, arguments after the string. */
    public static List<String> format(List<ModeChange> changes) {
        StringBuilder letters = new StringBuilder();
        List<String> args = new ArrayList<>();
        char sign = 0;
        for (ModeChange change : changes) {
            char s = change.adding() ? '+' : '-';
            if (s != sign) {
                letters.append(s);
                sign = s;
            }
            letters.append(change.mode());
            if (change.arg() != null) {
                args.add(change.arg());
            }
        }
        List<String> out = new ArrayList<>(args.size() + 1);
        out.add(letters.toString());
        out.addAll(args);
        return out;
    }
}
