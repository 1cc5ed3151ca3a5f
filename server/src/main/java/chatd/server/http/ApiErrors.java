package chatd.server.http;

import chatd.protocol.Json;
import chatd.server.core.ChatError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Map;

/** The one place a refusal becomes an HTTP answer (SPEC §1): status + {@code {"error","code","numeric"?}}. */
final class ApiErrors {
    private ApiErrors() {}

    static int status(ChatError.Kind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case HASHCASH_REQUIRED, HASHCASH_INVALID -> 402;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case NICK_IN_USE -> 409;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    static String code(ChatError e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> e.getMessage().startsWith("malformed JSON") ? "invalid_json" : "invalid_request";
            case UNAUTHORIZED -> "unauthorized";
            case HASHCASH_REQUIRED -> "hashcash_required";
            case HASHCASH_INVALID -> "hashcash_invalid";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "not_found";
            case NICK_IN_USE -> "nick_in_use";
            case TOO_LARGE -> "too_large";
            case RATE_LIMITED -> "rate_limited";
            case UNAVAILABLE -> "unavailable";
        };
    }

    static void write(Context ctx, ChatError e) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ctx.status(status(e.kind())).contentType("application/json").result(body(e));
    }

    static byte[] body(ChatError e) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", e.getMessage()).put("code", code(e));
        if (e.numeric() != null) {
            body.put("numeric", e.numeric().code());
        }
        return Json.writeBytes(body);
    }

    /** A refusal that is not a {@link ChatError} (no such endpoint, internal error). */
    static byte[] body(String code, String message) {
        return Json.writeBytes(Map.of("error", message, "code", code));
    }

    static ChatError invalid(String message) {
        return new ChatError(ChatError.Kind.INVALID_REQUEST, message);
    }
}
