package chatd.server.http;

import chatd.server.ServerConfig;
import chatd.server.core.ChatCore;
import chatd.server.core.Passwords;
import java.util.List;

/** The route groups of the public API (SPEC §3–§6). */
public final class HttpModules {
    private HttpModules() {}

    /** @param logins LOGIN_RATE_LIMIT per source address, shared with the IRC gateway's PASS and SASL */
    public static List<HttpApi.Module> standard(ChatCore core, HttpMetrics metrics, ServerConfig config, Passwords passwords,
            RateLimiter logins) {
        RequestBodies bodies = new RequestBodies(config.http().maxMessageSize());
        return List.of(
                new IdentityEndpoints(core, bodies, passwords, logins),
                new MessageEndpoints(core, bodies),
                new HistoryEndpoints(core),
                new InfoEndpoints(core, metrics, config.motd(), config.federation().policy(), config.security().metricsUsername(),
                        config.security().metricsPassword()));
    }
}
