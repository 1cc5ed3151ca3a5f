package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.server.core.Session;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * MARKREAD &lt;target&gt; [timestamp=&lt;time&gt;] (IRCv3 draft/read-marker): how far the user has read a
 * channel or conversation, shared by all their devices. Setting moves the marker forward only and tells
 * every client of the session; asking answers this client. Markers are kept in memory. (The IRC gateway
 * also shows a channel's marker after each JOIN, as the spec asks, to clients that enabled the capability.)
 */
final class ReadMarkerCommands {
    private static final String PREFIX = "timestamp=";

    void markread(CommandContext ctx) {
        String target = ctx.target();
        if (target == null || target.isEmpty()) {
            fail(ctx, "NEED_MORE_PARAMS", null, "Missing parameters");
            return;
        }
        String value = ctx.message().param(0);
        Session session = ctx.session();
        String key = Names.fold(target);
        if (value == null) {
            ctx.changes().toClient(ctx.client(), markread(ctx, target, session.readMarker(key)));
            return;
        }
        Instant at;
        try {
            at = value.startsWith(PREFIX) ? Instant.parse(value.substring(PREFIX.length())) : null;
        } catch (DateTimeParseException e) {
            at = null;
        }
        if (at == null) {
            fail(ctx, "INVALID_PARAMS", target, "Invalid timestamp");
            return;
        }
        ctx.changes().toSession(session, markread(ctx, target, session.markRead(key, at)), null);
    }

    private static Envelope markread(CommandContext ctx, String target, Instant at) {
        return Envelope.of("MARKREAD", ctx.state().serverName(), target,
                List.of(at == null ? "*" : PREFIX + ServerTime.format(at)), null);
    }

    private static void fail(CommandContext ctx, String code, String target, String text) {
        List<String> params = target == null ? List.of("MARKREAD", code) : List.of("MARKREAD", code, target);
        ctx.changes().toClient(ctx.client(), Envelope.of("FAIL", ctx.state().serverName(), null, params, List.of(text)));
    }
}
