package chatd.server.irc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * IRCv3 labeled-response: the replies to a command sent with {@code @label=…}, marked with that label —
 * one labeled line, a {@code BATCH +id labeled-response} … {@code BATCH -id} around several, or a
 * labeled {@code ACK} when the command had no reply. Pure, apart from numbering the batches.
 */
final class LabeledReplies {
    private final String serverName;
    private final AtomicLong batchIds = new AtomicLong();

    LabeledReplies(String serverName) {
        this.serverName = serverName;
    }

    /** @param batch whether the client negotiated {@code batch}; without it only the first line is labeled */
    List<IrcLine> wrap(String label, List<IrcLine> lines, boolean batch) {
        if (lines.isEmpty()) {
            return List.of(IrcLine.of(serverName, "ACK").withTags(Map.of("label", label)));
        }
        if (lines.size() == 1 || !batch) {
            List<IrcLine> out = new ArrayList<>(lines);
            out.set(0, withTag(lines.getFirst(), "label", label));
            return out;
        }
        String id = "L" + Long.toString(batchIds.incrementAndGet(), 36);
        List<IrcLine> out = new ArrayList<>(lines.size() + 2);
        out.add(IrcLine.of(serverName, "BATCH", "+" + id, "labeled-response").withTags(Map.of("label", label)));
        for (IrcLine line : lines) {
            out.add(withTag(line, "batch", id));
        }
        out.add(IrcLine.of(serverName, "BATCH", "-" + id));
        return out;
    }

    private static IrcLine withTag(IrcLine line, String key, String value) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(key, value);
        tags.putAll(line.tags());
        return line.withTags(tags);
    }
}
