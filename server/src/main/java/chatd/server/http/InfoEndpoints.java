package chatd.server.http;

import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.Views;
import chatd.server.core.command.ServerReplies;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Server info, health check, metrics, channel list and members (SPEC §6). */
final class InfoEndpoints implements HttpApi.Module {
    private final ChatCore core;
    private final HttpMetrics metrics;
    private final String motd;
    private final String federationPolicy;
    private final String metricsAuth;

    InfoEndpoints(ChatCore core, HttpMetrics metrics, String motd, String federationPolicy, String metricsUser, String metricsPassword) {
        this.core = core;
        this.metrics = metrics;
        this.motd = motd;
        this.federationPolicy = federationPolicy;
        this.metricsAuth = metricsUser.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString((metricsUser + ":" + metricsPassword).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void routes(HttpApi api) {
        api.get("/api/v1/server", this::server);
        api.get("/.well-known/healthcheck.json", this::health);
        api.get("/metrics", this::metrics);
        api.get("/api/v1/channels", ctx -> {
            api.client(ctx);
            HttpApi.json(ctx, 200, core.channelList());
        });
        api.get("/api/v1/channels/{name}/members", ctx -> {
            // SPEC §6 names the channel without its '#'; an encoded one (%23general) is the same channel.
            String name = ctx.pathParam("name");
            String channel = name.startsWith("#") ? name : "#" + name;
            List<Views.ChannelMember> members = core.members(api.client(ctx), channel);
            if (members == null) {
                throw new ChatError(ChatError.Kind.NOT_FOUND, "no such channel: " + channel);
            }
            HttpApi.json(ctx, 200, members);
        });
    }

    /** 200 "ok", or 503 "degraded" with the reason while the store refuses writes (reads still work). */
    private void health(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        String down = core.storeUnavailableReason();
        out.put("status", down == null ? "ok" : "degraded");
        if (down != null) {
            out.put("reason", "store unavailable: " + down);
        }
        out.put("name", core.state().serverName());
        out.put("version", ServerReplies.VERSION);
        out.put("uptime_seconds", (core.state().nowMillis() - core.state().startedMillis()) / 1000);
        HttpApi.json(ctx, down == null ? 200 : 503, out);
    }

    private void server(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", core.state().serverName());
        out.put("version", ServerReplies.VERSION);
        out.put("motd", motd);
        out.put("users", core.state().sessions().size());
        if (core.hashcashBits() > 0) {
            out.put("hashcash_bits", core.hashcashBits());
        }
        out.put("federation", Map.of("policy", federationPolicy));
        HttpApi.json(ctx, 200, out);
    }

    private void metrics(Context ctx) {
        if (metricsAuth != null && !metricsAuth.equals(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"chatd metrics\"");
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "metrics need basic auth");
        }
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
