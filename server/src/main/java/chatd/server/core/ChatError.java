package chatd.server.core;

import chatd.protocol.Numeric;

/**
 * A refusal at the API level (SPEC §1): adapters map {@link Kind} to their transport (an HTTP status and
 * code, or an IRC numeric). The message is for humans; the numeric is set where an IRC one fits.
 */
public final class ChatError extends RuntimeException {
    public enum Kind {
        INVALID_REQUEST, UNAUTHORIZED, HASHCASH_REQUIRED, HASHCASH_INVALID, FORBIDDEN, NOT_FOUND, NICK_IN_USE,
        TOO_LARGE, RATE_LIMITED, UNAVAILABLE
    }

    private final Kind kind;
    private final Numeric numeric;
    /** For UNAVAILABLE and RATE_LIMITED: when to try again (HTTP Retry-After), 0 when unknown. */
    private final long retryAfterSeconds;

    public ChatError(Kind kind, String message) {
        this(kind, message, null);
    }

    public ChatError(Kind kind, String message, Numeric numeric) {
        this(kind, message, numeric, 0);
    }

    private ChatError(Kind kind, String message, Numeric numeric, long retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = kind;
        this.numeric = numeric;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The server cannot take the request now (its store is down, or its queue is full); retry after that long. */
    public static ChatError unavailable(String message, long retryAfterSeconds) {
        return new ChatError(Kind.UNAVAILABLE, message, null, retryAfterSeconds);
    }

    /** Too many requests from this source; retry after that long. */
    public static ChatError rateLimited(String message, long retryAfterSeconds) {
        return new ChatError(Kind.RATE_LIMITED, message, null, retryAfterSeconds);
    }

    public Kind kind() {
        return kind;
    }

    public Numeric numeric() {
        return numeric;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
