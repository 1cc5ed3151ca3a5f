package chatd.server.http;

import chatd.server.core.ChatError;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The operator's bearer token (ADMIN_TOKEN): admin endpoints are off without one, 401 with a wrong one. */
public final class AdminToken {
    private final byte[] token;

    public AdminToken(String token) {
        this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses the request unless it carries the admin token (compared in constant time). */
    public void require(Context ctx) {
        if (token.length == 0) {
            throw new ChatError(ChatError.Kind.FORBIDDEN, "admin endpoints are off (no ADMIN_TOKEN)");
        }
        String header = ctx.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            throw new ChatError(ChatError.Kind.UNAUTHORIZED, "admin token required");
        }
    }
}
