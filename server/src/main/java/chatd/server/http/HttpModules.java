package chatd.server.http;

import chatd.server.ServerConfig;
import chatd.server.core.ChatCore;
import chatd.server.core.Passwords;
import java.util.List;
import java.util.function.ToLongFunction;

/** The route groups of the public API (SPEC §3–§6). */
public final class HttpModules {
    private HttpModules() {}

    /**
     * @param loginWait source address → seconds before its next login attempt, 0 when it may try now (and it
     *                  is counted): LOGIN_RATE_LIMIT, shared with the IRC gateway's PASS and SASL
     */
    public static List<HttpApi.Module> standard(ChatCore core, HttpMetrics metrics, ServerConfig config, Passwords passwords,
            ToLongFunction<String> loginWait) {
        RequestBodies bodies = new RequestBodies(config.http().maxMessageSize());
        return List.of(
                new IdentityEndpoints(core, bodies, passwords, loginWait),
                new MessageEndpoints(core, bodies),
                new HistoryEndpoints(core),
                new InfoEndpoints(core, metrics, config.motd(), config.federation().policy(), config.security().metricsUsername(),
                        config.security().metricsPassword()));
    }
}
