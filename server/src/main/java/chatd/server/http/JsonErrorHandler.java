package chatd.server.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before any route sees the request (a malformed URI or header, a request line
 * too long) in the API's JSON shape instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String detail = request.getAttribute(ERROR_MESSAGE) instanceof String m && !m.isBlank() ? ": " + m.toLowerCase(Locale.ROOT)
                : " (a malformed URL, %-encoding or header?)";
        String code = switch (status) {
            case 404 -> "not_found";
            case 413, 414, 431 -> "too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "invalid_request";
        };
        String message = status >= 500 ? "internal error" : "the request could not be read" + detail;
        response.getHeaders().put(MimeTypes.Type.APPLICATION_JSON.getContentTypeField());
        response.write(true, ByteBuffer.wrap(ApiErrors.body(code, message)), callback);
        return true;
    }
}
