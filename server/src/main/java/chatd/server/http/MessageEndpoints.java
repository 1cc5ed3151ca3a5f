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
        QueryParams query = new QueryParams(ctx.queryString());
        String target = query.text("target");
        HttpApi.require(target != null && !target.isEmpty() && target.length() <= 200,
                "query parameter 'target' is required (a channel like %23general, or a nick)");
        long before = query.number("before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int limit = (int) query.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
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
}
