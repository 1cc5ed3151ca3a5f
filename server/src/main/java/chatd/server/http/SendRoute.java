package chatd.server.http;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.core.ChatCore;
import chatd.server.core.Client;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/messages}, a command (SPEC §5), answered once it is committed. It runs on the
 * request's virtual thread, which waits for the group commit. Other methods on the path but GET (the
 * long-poll, {@link PollRoute}) get 405 here, since Javalin no longer knows the path.
 */
final class SendRoute extends DirectRoute {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    private final HttpApi api;
    private final ChatCore core;
    private final RequestBodies bodies;

    SendRoute(HttpApi api, ChatCore core, RequestBodies bodies, HttpMetrics metrics) {
        super(metrics, MESSAGES);
        this.api = api;
        this.core = core;
        this.bodies = bodies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!here(request) || "GET".equals(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        return post(request, response, callback, this::send);
    }

    private byte[] send(Request request) {
        Client client = api.client(request.getHeaders().get(HttpHeader.AUTHORIZATION), request.getConnectionMetaData());
        Envelope envelope = bodies.envelope(bodies.object(request.getLength(), Content.Source.asInputStream(request)));
        String id = core.execute(client, envelope);
        return id == null ? OK : ("{\"status\":\"ok\",\"id\":" + Json.write(id) + "}").getBytes(StandardCharsets.UTF_8);
    }
}
