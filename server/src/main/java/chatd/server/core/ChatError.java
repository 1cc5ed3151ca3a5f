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

    public ChatError(Kind kind, String message) {
        this(kind, message, null);
    }

    public ChatError(Kind kind, String message, Numeric numeric) {
        super(message, null, false, false);
        this.kind = kind;
        this.numeric = numeric;
    }

    public Kind kind() {
        return kind;
    }

    public Numeric numeric() {
        return numeric;
    }
}
