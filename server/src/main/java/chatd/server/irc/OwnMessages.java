package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.server.core.ChatCore;
import chatd.server.core.Client;
import chatd.server.core.command.ServerTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a delivered envelope becomes on this connection: the lines for the enabled caps, without the
 * connection's own messages unless echo-message is on, and the read marker after its own JOIN.
 * The reader records what it sent; delivery asks.
 */
final class OwnMessages {
    private static final int MAX_OWN_IDS = 4096;

    private final IrcConnection connection;
    private final ChatCore core;
    private final RenderedLines rendered;
    private final CapNegotiation caps;
    /** Ids of the messages this connection sent: their echo is skipped unless echo-message is on. */
    private final Set<String> ownIds = ConcurrentHashMap.newKeySet();

    OwnMessages(IrcConnection connection, ChatCore core, RenderedLines rendered, CapNegotiation caps) {
        this.connection = connection;
        this.core = core;
        this.rendered = rendered;
        this.caps = caps;
    }

    /** The reader is about to execute a command with this envelope id. */
    void sending(String id) {
        if (ownIds.size() > MAX_OWN_IDS) {
            ownIds.clear();
        }
        ownIds.add(id);
    }

    /** The lines for one delivered envelope; this connection's own messages are skipped without echo-message. */
    List<IrcLine> linesFor(Envelope e) {
        Set<IrcCaps> current = caps.enabled();
        boolean own = e.id() != null && isMessage(e.command()) && ownIds.remove(e.id());
        List<IrcLine> lines = rendered.render(e, current);
        if (e.command().equals("JOIN") && current.contains(IrcCaps.READ_MARKER) && byMe(e)) {
            return withReadMarker(lines, e.to());
        }
        if (!own) {
            return lines;
        }
        boolean echo = current.contains(IrcCaps.ECHO_MESSAGE);
        if (toSelf(e)) { // a message to oneself is received like any other; with echo-message, echoed too
            if (!echo) {
                return lines;
            }
            List<IrcLine> twice = new ArrayList<>(lines);
            twice.addAll(lines);
            return twice;
        }
        return echo ? lines : List.of();
    }

    /** What a client sends that comes back to it only with echo-message. */
    private static boolean isMessage(String command) {
        return switch (command) {
            case "PRIVMSG", "NOTICE", "TAGMSG" -> true;
            default -> false;
        };
    }

    /** A message this user sent to their own nick. */
    boolean toSelf(Envelope e) {
        Client c = connection.client();
        return c != null && e.to() != null && Names.fold(e.to()).equals(Names.fold(c.session().nick()));
    }

    /** Whether this connection sent the message (its echo is a reply to the sender). */
    boolean sentHere(Envelope e) {
        return e.id() != null && ownIds.contains(e.id());
    }

    /** After our own JOIN, the channel's read marker (draft/read-marker), before the names. */
    private List<IrcLine> withReadMarker(List<IrcLine> join, String channel) {
        Instant at = core.readMarker(connection.client(), channel);
        List<IrcLine> out = new ArrayList<>(join);
        out.add(IrcLine.of(rendered.renderer().serverName(), "MARKREAD", channel,
                at == null ? "*" : "timestamp=" + ServerTime.format(at)));
        return out;
    }

    private boolean byMe(Envelope e) {
        Client c = connection.client();
        return c != null && e.from() != null && Names.fold(e.from()).equals(Names.fold(c.session().nick()));
    }
}
