package chatd.server.http;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.core.ChatCore;
import chatd.server.core.Client;
import chatd.server.core.HistoryReader;
import chatd.server.core.Inbox;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sending commands, long-poll delivery (SPEC §4, §5) and history (§6). */
final class MessageEndpoints implements HttpApi.Module {
    private static final int DEFAULT_TIMEOUT = 15;
    private static final int MAX_TIMEOUT = 60;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final ChatCore core;
    private final RequestBodies bodies;

    MessageEndpoints(ChatCore core, RequestBodies bodies) {
        this.core = core;
        this.bodies = bodies;
    }

    @Override
    public void routes(HttpApi api) {
        api.post("/api/v1/messages", ctx -> send(ctx, api.client(ctx)));
        api.get("/api/v1/messages", ctx -> poll(ctx, api.client(ctx)));
        api.get("/api/v1/history", ctx -> history(ctx, api.client(ctx)));
    }

    private void send(Context ctx, Client client) {
        Envelope envelope = bodies.envelope(bodies.object(ctx));
        String id = core.execute(client, envelope);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        if (id != null) {
            out.put("id", id);
        }
        HttpApi.json(ctx, 200, out);
    }

    /** Writes the stored envelope bytes as they are: serialised once, shared by every recipient. */
    private void poll(Context ctx, Client client) throws InterruptedException, IOException {
        long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
        int timeout = (int) Math.min(MAX_TIMEOUT, Math.max(0, number(ctx, "timeout", DEFAULT_TIMEOUT, Long.MIN_VALUE, Long.MAX_VALUE)));
        int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Inbox.Batch batch = core.poll(client, after, limit, Duration.ofSeconds(timeout));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + batch.entries().size() * 256);
        out.write("{\"messages\":[".getBytes(StandardCharsets.US_ASCII));
        List<Inbox.Entry> entries = batch.entries();
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(entries.get(i).json());
        }
        String tail = "],\"last_id\":" + batch.lastSeq() + (batch.dropped() > 0 ? ",\"dropped\":" + batch.dropped() : "") + "}";
        out.write(tail.getBytes(StandardCharsets.US_ASCII));
        HttpApi.jsonBytes(ctx, 200, out.toByteArray());
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
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            HttpApi.require(value >= min && value <= max, "query parameter '" + name + "' must be between " + min + " and " + max);
            return value;
        } catch (NumberFormatException e) {
            throw ApiErrors.invalid("query parameter '" + name + "' must be a whole number");
        }
    }
}
