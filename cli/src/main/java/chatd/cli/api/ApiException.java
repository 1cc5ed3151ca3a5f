package chatd.cli.api;

/** A non-2xx answer of the chatd HTTP API, with its status and machine-readable code. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String retryAfter;

    public ApiException(int status, String code, String message, String retryAfter) {
        super(status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The Retry-After header of a 429, or null. */
    public String retryAfter() {
        return retryAfter;
    }
}
