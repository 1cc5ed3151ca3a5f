package chatd.server.http;

import chatd.server.core.ChatCore;
import chatd.server.core.ChatState;
import chatd.server.core.Session;
import chatd.server.core.command.ServerReplies;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The operator's view (docs/API.md): {@code GET /api/v1/admin/overview} with the admin token, read by the
 * page at {@code /admin}. Counters are totals since start; the page turns two readings into rates.
 */
public final class AdminEndpoints implements HttpApi.Module {
    private final ChatCore core;
    private final HttpMetrics metrics;
    private final AdminToken admin;
    private final IntSupplier journalBacklog;
    private final Supplier<Object> database;
    private final Supplier<Object> federation;

    /**
     * @param database   the store's health (dialect, a timed query), as JSON-ready values
     * @param federation the links' status, as {@code GET /api/v1/federation/status} answers it
     */
    public AdminEndpoints(ChatCore core, HttpMetrics metrics, AdminToken admin, IntSupplier journalBacklog,
            Supplier<Object> database, Supplier<Object> federation) {
        this.core = core;
        this.metrics = metrics;
        this.admin = admin;
        this.journalBacklog = journalBacklog;
        this.database = database;
        this.federation = federation;
    }

    @Override
    public void routes(HttpApi api) {
        api.get("/admin", ctx -> ctx.redirect("/admin.html"));
        api.get("/api/v1/admin/overview", ctx -> {
            admin.require(ctx);
            HttpApi.json(ctx, 200, overview());
        });
    }

    Map<String, Object> overview() {
        ChatState state = core.state();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("server", state.serverName());
        out.put("version", ServerReplies.VERSION);
        out.put("now_ms", state.nowMillis());
        out.put("uptime_seconds", (state.nowMillis() - state.startedMillis()) / 1000);
        out.put("sessions", state.sessions().size());
        out.put("clients", state.clientCount());
        out.put("polls_waiting", core.pollsInProgress());
        HttpMetrics.Served sends = metrics.served("POST", DirectRoute.MESSAGES);
        out.put("messages", Map.of("sent_total", sends.count(), "ack_total_ms", sends.totalMillis(),
                "ack_max_ms", sends.maxMillis()));
        out.put("deliveries_total", metrics.deliveries());
        HttpMetrics.Served pushes = metrics.pushes();
        out.put("delivery_latency", Map.of("answers_total", pushes.count(), "total_ms", pushes.totalMillis(),
                "max_ms", pushes.maxMillis()));
        out.put("queues", queues(state));
        out.put("journal_backlog", journalBacklog.getAsInt());
        out.put("database", database.get());
        out.put("federation", federation.get());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.put("heap", Map.of("used_bytes", heap.getUsed(), "max_bytes", heap.getMax()));
        return out;
    }

    private Map<String, Object> queues(ChatState state) {
        long total = 0;
        int deepest = 0;
        for (Session s : state.sessions()) {
            int size = s.inbox().size();
            total += size;
            deepest = Math.max(deepest, size);
        }
        return Map.of("entries", total, "deepest", deepest, "dropped_total", metrics.dropped());
    }
}
