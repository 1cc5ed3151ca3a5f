package chatd.server.http;

import chatd.server.core.ChatError;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route answered on Jetty's own handler API, in front of Javalin's servlet stack: the few exchanges
 * that make up almost all of a chat server's traffic (the long-poll, the send, and a linked peer's relay)
 * skip the servlet request, Javalin's context and its router. Everything else passes on to Javalin.
 */
public abstract class DirectRoute extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(DirectRoute.class);
    static final String MESSAGES = "/api/v1/messages";
    /** Built and encoded once, not per answer. */
    private static final HttpField JSON_TYPE = MimeTypes.Type.APPLICATION_JSON.getContentTypeField();

    private final HttpMetrics metrics;
    /** The route's path, as its answers are logged and timed. */
    private final String path;

    protected DirectRoute(HttpMetrics metrics, String path) {
        this.metrics = metrics;
        this.path = path;
    }

    /** Whether the request is for this route's path. */
    protected final boolean here(Request request) {
        return at(request, path);
    }

    /** Whether the request is for {@code path}; Javalin ignores a trailing slash on its routes, so do we. */
    static boolean at(Request request, String path) {
        String p = Request.getPathInContext(request);
        return p.startsWith(path) && (p.length() == path.length() || p.length() == path.length() + 1 && p.endsWith("/"));
    }

    /** What a POST route makes of a request: its 200 answer's JSON, or a {@link ChatError} to refuse it. */
    @FunctionalInterface
    protected interface PostHandler {
        byte[] answer(Request request);
    }

    /**
     * Answers a request on this route: the handler's JSON (200) for a POST, its refusal, or 405 for another
     * method; a failure nothing explains is a 500. The request's virtual thread may wait (for a commit).
     */
    protected final boolean post(Request request, Response response, Callback callback, PostHandler handler) {
        long start = System.nanoTime();
        if (!"POST".equals(request.getMethod())) {
            notAllowed(request, response, callback, start);
            return true;
        }
        try {
            answer(request, response, callback, 200, handler.answer(request), start);
        } catch (ChatError e) {
            refuse(request, response, callback, e, start);
        } catch (RuntimeException e) {
            failed(request, response, callback, e, start);
        }
        return true;
    }

    /** 405 for a method the route does not take (Javalin no longer knows the path). */
    private void notAllowed(Request request, Response response, Callback callback, long start) {
        String message = request.getMethod() + " is not allowed on " + path;
        answer(request, response, callback, 405, ApiErrors.body("method_not_allowed", message), start);
    }

    /** 500 for a failure no refusal explains, logged with its stack. */
    private void failed(Request request, Response response, Callback callback, RuntimeException e, long start) {
        LOG.error("unhandled error on {} {}", request.getMethod(), path, e);
        answer(request, response, callback, 500, ApiErrors.body("internal", "internal error"), start);
    }

    /** Answers a refusal with its status and JSON error, logged as Javalin's routes log theirs. */
    protected final void refuse(Request request, Response response, Callback callback, ChatError e, long start) {
        LOG.info("{} {} from {} refused ({}): {}", request.getMethod(), path, Request.getRemoteAddr(request),
                ApiErrors.status(e.kind()), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
        }
        dropBody(request, response);
        answer(request, response, callback, ApiErrors.status(e.kind()), ApiErrors.body(e), start);
    }

    /**
     * A request refused before its body was read (a bad token, a flood, an unsigned relay): what has arrived
     * of the body is dropped; if more may follow, the answer closes the connection rather than wait for it,
     * so that the client does not send its next request on a connection the server is about to close.
     */
    private static void dropBody(Request request, Response response) {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                return;
            }
            chunk.release();
            if (chunk.isLast()) {
                return;
            }
        }
    }

    /** Writes a JSON answer without blocking: the socket takes a small one at once, Jetty finishes a large one later. */
    protected final void answer(Request request, Response response, Callback callback, int status, byte[] body, long start) {
        response.setStatus(status);
        response.getHeaders().put(JSON_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        metrics.record(request.getMethod(), path, status, System.nanoTime() - start);
    }
}
