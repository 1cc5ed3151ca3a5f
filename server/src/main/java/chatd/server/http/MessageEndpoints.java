package chatd.server.http;

import chatd.protocol.Json;
import chatd.server.core.ChatCore;
import chatd.server.core.Client;
import chatd.server.core.HistoryReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;

/** The long-poll ({@link PollRoute}), sending commands ({@link SendRoute}, SPEC §5) and history (§6). */
final class MessageEndpoints implements HttpApi.Module {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ChatCore core;
    private final RequestBodies bodies;

    MessageEndpoints(ChatCore core, RequestBodies bodies) {
        this.core = core;
        this.bodies = bodies;
    }

    @Override
    public void routes(HttpApi api) {
        api.direct(new PollRoute(api, core, api.metrics()));
        api.direct(new SendRoute(api, core, bodies, api.metrics()));
        api.get("/api/v1/history", ctx -> history(ctx, api.client(ctx)));
    }

    private void history(Context ctx, Client client) throws IOException {
        String target = ctx.queryParam("target");
        HttpApi.require(target != null && !target.isEmpty() && target.length() <= 200, "query parameter 'target' is required");
        long before = number(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (HistoryReader.Stored stored : core.history(client, target, before, limit)) {
            ObjectNode envelope = (ObjectNode) Json.MAPPER.readTree(stored.json());
            envelope.put("seq", stored.seq());
            messages.add(envelope);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("messages", messages);
        HttpApi.json(ctx, 200, out);
    }

    private static long number(Context ctx, String name, long fallback, long min, long max) {
        return number(name, ctx.queryParam(name), fallback, min, max);
    }

    /** A whole-number query parameter between {@code min} and {@code max}, or 400. */
    static long number(String name, String raw, long fallback, long min, long max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < min || value > max) {
                throw ApiErrors.invalid("query parameter '" + name + "' must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiErrors.invalid("query parameter '" + name + "' must be a whole number");
        }
    }
}
