package chatd.server.http;

import chatd.protocol.Json;
import chatd.server.core.ChatCore;
import chatd.server.core.Client;
import chatd.server.core.History;
import chatd.server.core.HistoryReader;
import chatd.server.core.command.ServerTime;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * History (SPEC §6), with what IRC's CHATHISTORY can ask: {@code GET /history} pages before, after,
 * around or between references (a {@code seq}, a message id or a time), and {@code GET /history/targets}
 * lists the conversations with recent activity.
 */
final class HistoryEndpoints implements HttpApi.Module {
    private final ChatCore core;

    HistoryEndpoints(ChatCore core) {
        this.core = core;
    }

    @Override
    public void routes(HttpApi api) {
        api.get("/api/v1/history", ctx -> history(ctx, api.client(ctx)));
        api.get("/api/v1/history/targets", ctx -> targets(ctx, api.client(ctx)));
    }

    private void history(Context ctx, Client client) throws IOException {
        QueryParams query = new QueryParams(ctx.queryString());
        String target = query.text("target");
        HttpApi.require(target != null && !target.isEmpty() && target.length() <= 200,
                "query parameter 'target' is required (a channel like %23general, or a nick)");
        History.Ref before = reference(query, "before");
        History.Ref after = reference(query, "after");
        History.Ref around = reference(query, "around");
        HttpApi.require(around == null || (before == null && after == null),
                "query parameter 'around' cannot be combined with 'before' or 'after'");
        int limit = (int) query.number("limit", MessageEndpoints.DEFAULT_LIMIT, 1, MessageEndpoints.MAX_LIMIT);
        History.Query q;
        if (around != null) {
            q = new History.Query(History.Kind.AROUND, around, null, limit, commands(query));
        } else if (before != null && after != null) {
            q = new History.Query(History.Kind.BETWEEN, after, before, limit, commands(query));
        } else if (after != null) {
            q = new History.Query(History.Kind.AFTER, after, null, limit, commands(query));
        } else {
            q = new History.Query(History.Kind.BEFORE, before == null ? new History.Ref.Open() : before, null, limit, commands(query));
        }
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (HistoryReader.Stored stored : core.history(client, target, q)) {
            ObjectNode envelope = (ObjectNode) Json.MAPPER.readTree(stored.json());
            envelope.put("seq", stored.seq());
            messages.add(envelope);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("messages", messages);
        HttpApi.json(ctx, 200, out);
    }

    private void targets(Context ctx, Client client) {
        QueryParams query = new QueryParams(ctx.queryString());
        Instant after = time(query, "after", Instant.ofEpochMilli(Long.MIN_VALUE));
        Instant before = time(query, "before", Instant.ofEpochMilli(Long.MAX_VALUE));
        int limit = (int) query.number("limit", MessageEndpoints.DEFAULT_LIMIT, 1, MessageEndpoints.MAX_LIMIT);
        ArrayNode targets = Json.MAPPER.createArrayNode();
        for (History.Target t : core.historyTargets(client, after, before, limit, commands(query))) {
            targets.addObject().put("target", t.name()).put("last_ts", ServerTime.format(t.last()));
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("targets", targets);
        HttpApi.json(ctx, 200, out);
    }

    /** {@code messages_only=true}: PRIVMSG and NOTICE, not the channel's other events. */
    private static Set<String> commands(QueryParams query) {
        String only = query.text("messages_only");
        HttpApi.require(only == null || only.equals("true") || only.equals("false"),
                "query parameter 'messages_only' must be true or false");
        return "true".equals(only) ? History.MESSAGES : Set.of();
    }

    /** A whole number is a {@code seq}; an RFC 3339 time a time; anything else a message id. */
    private static History.Ref reference(QueryParams query, String name) {
        String value = query.text(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        HttpApi.require(value.length() <= 100, "query parameter '" + name + "' is too long");
        if (value.chars().allMatch(Character::isDigit)) {
            return new History.Ref.Seq(query.number(name, 0, 0, Long.MAX_VALUE));
        }
        Instant at = ServerTime.parse(value);
        if (at != null) {
            return new History.Ref.Time(at);
        }
        HttpApi.require(value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_'),
                "query parameter '" + name + "' must be a seq, a message id or an RFC 3339 time like 2025-01-01T10:00:00.000Z");
        return new History.Ref.MessageId(value);
    }

    private static Instant time(QueryParams query, String name, Instant fallback) {
        String value = query.text(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        Instant at = ServerTime.parse(value);
        HttpApi.require(at != null, "query parameter '" + name + "' must be an RFC 3339 time like 2025-01-01T10:00:00.000Z");
        return at;
    }
}
