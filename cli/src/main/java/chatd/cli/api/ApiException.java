package chatd.cli.api;

/** A non-2xx answer of the chatd HTTP API, with its status and machine-readable code. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String retryAfter;
    private final long lastId;

    public ApiException(int status, String code, String message, String retryAfter) {
        this(status, code, message, retryAfter, -1);
    }

    /** With the {@code last_id} of a 409 {@code cursor_reset} answer (SPEC §4): where to resume polling. */
    public ApiException(int status, String code, String message, String retryAfter, long lastId) {
        super(status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
        this.lastId = lastId;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** A stale-cursor answer: the cursor was ahead of the queue or pointed at trimmed entries. */
    public boolean isCursorReset() {
        return status == 409 && "cursor_reset".equals(code) && lastId >= 0;
    }

    /** The cursor to resume from after {@link #isCursorReset()}. */
    public long lastId() {
        return lastId;
    }

    /** The Retry-After header of a 429, or null. */
    public String retryAfter() {
        return retryAfter;
    }
}
