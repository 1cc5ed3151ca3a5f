package chatd.server.core.command;

import chatd.protocol.Names;
import chatd.server.core.Channel;
import java.util.ArrayList;
import java.util.List;

/** The filters of one LIST (ELIST M, N and U): names or masks, excluded masks, member counts. */
record ChannelFilter(List<String> masks, List<String> excluded, int moreThan, int fewerThan) {

    static ChannelFilter parse(String spec) {
        List<String> masks = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        int moreThan = -1;
        int fewerThan = Integer.MAX_VALUE;
        for (String part : spec == null ? new String[0] : spec.split(",")) {
            String p = part.strip();
            if (p.startsWith(">") && count(p) != null) {
                moreThan = Math.max(moreThan, count(p));
            } else if (p.startsWith("<") && count(p) != null) {
                fewerThan = Math.min(fewerThan, count(p));
            } else if (p.startsWith("!") && p.length() > 1) {
                excluded.add(p.substring(1));
            } else if (!p.isEmpty()) {
                masks.add(p);
            }
        }
        return new ChannelFilter(masks, excluded, moreThan, fewerThan);
    }

    boolean accepts(Channel channel) {
        int size = channel.size();
        if (size <= moreThan || size >= fewerThan) {
            return false;
        }
        if (excluded.stream().anyMatch(m -> Names.maskMatches(m, channel.name()))) {
            return false;
        }
        return masks.isEmpty() || masks.stream().anyMatch(m -> Names.maskMatches(m, channel.name()));
    }

    private static Integer count(String p) {
        try {
            return Integer.parseInt(p.substring(1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
