package chatd.server.http;

import chatd.server.ServerConfig;
import chatd.server.core.ChatCore;
import chatd.server.core.Passwords;
import java.time.InstantSource;
import java.util.List;

/** The route groups of the public API (SPEC §3–§6). */
public final class HttpModules {
    private HttpModules() {}

    public static List<HttpApi.Module> standard(ChatCore core, HttpMetrics metrics, ServerConfig config, Passwords passwords) {
        RequestBodies bodies = new RequestBodies(config.http().maxMessageSize());
        RateLimiter logins = new RateLimiter(config.limits().loginRateLimit(), InstantSource.system());
        return List.of(
                new IdentityEndpoints(core, bodies, passwords, logins),
                new MessageEndpoints(core, bodies),
                new InfoEndpoints(core, metrics, config.motd(), config.federation().policy(), config.security().metricsUsername(),
                        config.security().metricsPassword()));
    }
}
