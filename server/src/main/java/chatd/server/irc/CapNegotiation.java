package chatd.server.irc;

import chatd.protocol.Numeric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * IRCv3 capability negotiation: CAP LS [302] | CAP REQ :caps | CAP LIST | CAP END. Before registration,
 * LS or REQ holds registration back until END. Commands run on the reader thread; the enabled caps are
 * read by delivery too.
 */
final class CapNegotiation {
    private final IrcReplies replies;
    private final String serverName;
    /** Called on CAP END: registration may now complete. */
    private final Runnable ended;
    private boolean negotiating;
    private boolean cap302;
    private volatile Set<IrcCaps> enabled = Collections.unmodifiableSet(EnumSet.noneOf(IrcCaps.class));

    CapNegotiation(IrcReplies replies, String serverName, Runnable ended) {
        this.replies = replies;
        this.serverName = serverName;
        this.ended = ended;
    }

    Set<IrcCaps> enabled() {
        return enabled;
    }

    boolean has(IrcCaps cap) {
        return enabled.contains(cap);
    }

    /** Is registration waiting for CAP END? */
    boolean negotiating() {
        return negotiating;
    }

    void handle(IrcLine line, boolean registered) {
        String sub = line.param(0) == null ? "" : line.param(0).toUpperCase(Locale.ROOT);
        String me = replies.nickOrStar();
        switch (sub) {
            case "LS" -> {
                if (!registered) {
                    negotiating = true;
                }
                cap302 |= line.param(1) != null && line.param(1).compareTo("302") >= 0;
                List<String> offered = new ArrayList<>();
                for (IrcCaps c : IrcCaps.values()) {
                    offered.add(c.advertised(cap302));
                }
                replies.send(IrcLine.of(serverName, "CAP", me, "LS", String.join(" ", offered)).withTrailing());
            }
            case "REQ" -> {
                if (!registered) {
                    negotiating = true;
                }
                String requested = line.param(1) == null ? "" : line.param(1).trim();
                boolean ok = request(requested);
                replies.send(IrcLine.of(serverName, "CAP", me, ok ? "ACK" : "NAK", requested).withTrailing());
            }
            case "LIST" -> replies.send(IrcLine.of(serverName, "CAP", me, "LIST",
                    String.join(" ", enabled.stream().map(IrcCaps::wireName).toList())).withTrailing());
            case "END" -> {
                negotiating = false;
                ended.run();
            }
            default -> replies.numeric(Numeric.ERR_INVALIDCAPCMD, "Invalid CAP command", sub.isEmpty() ? "*" : sub);
        }
    }

    /** All of the requested changes, or none when one of them names an unknown cap. */
    private boolean request(String requested) {
        Set<IrcCaps> next = EnumSet.noneOf(IrcCaps.class);
        next.addAll(enabled);
        boolean ok = !requested.isEmpty();
        for (String name : requested.split(" +")) {
            boolean remove = name.startsWith("-");
            IrcCaps c = IrcCaps.byName(remove ? name.substring(1) : name);
            if (c == null) {
                ok = false;
            } else if (remove) {
                next.remove(c);
            } else {
                next.add(c);
            }
        }
        if (ok) {
            enabled = Collections.unmodifiableSet(next);
        }
        return ok;
    }
}
