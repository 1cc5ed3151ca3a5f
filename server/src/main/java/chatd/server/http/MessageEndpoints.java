package chatd.server.http;

import chatd.server.core.ChatCore;

/** The long-poll ({@link PollRoute}) and sending commands ({@link SendRoute}, SPEC §5). */
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
    }
}
