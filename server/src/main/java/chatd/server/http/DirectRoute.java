package chatd.server.http;

import chatd.server.core.ChatError;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route answered on Jetty's own handler API, in front of Javalin's servlet stack: the few exchanges
 * that make up almost all of a chat server's traffic (the long-poll and the send) skip the servlet
 * request, Javalin's context and its router. Everything else passes on to Javalin.
 */
abstract class DirectRoute extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(DirectRoute.class);
    static final String MESSAGES = "/api/v1/messages";
    /** Built and encoded once, not per answer. */
    private static final HttpField JSON_TYPE = MimeTypes.Type.APPLICATION_JSON.getContentTypeField();

    private final HttpMetrics metrics;

    DirectRoute(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    /** Whether the request is for {@code path}; Javalin ignores a trailing slash on its routes, so do we. */
    static boolean at(Request request, String path) {
        String p = Request.getPathInContext(request);
        return p.startsWith(path) && (p.length() == path.length() || p.length() == path.length() + 1 && p.endsWith("/"));
    }

    /** Answers a refusal with its status and JSON error, logged as Javalin's routes log theirs. */
    final void refuse(Request request, Response response, Callback callback, ChatError e, long start) {
        LOG.info("{} {} from {} refused ({}): {}", request.getMethod(), MESSAGES, Request.getRemoteAddr(request),
                ApiErrors.status(e.kind()), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
        }
        answer(request, response, callback, ApiErrors.status(e.kind()), ApiErrors.body(e), start);
    }

    /** Writes a JSON answer without blocking: the socket takes a small one at once, Jetty finishes a large one later. */
    final void answer(Request request, Response response, Callback callback, int status, byte[] body, long start) {
        response.setStatus(status);
        response.getHeaders().put(JSON_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        metrics.record(request.getMethod(), MESSAGES, status, System.nanoTime() - start);
    }
}
