package chatd.server.core;

/**
 * A poll's cursor that cannot be served: it is ahead of every entry this client was ever given, or it
 * points below entries already acknowledged and discarded. Answering such a poll as usual would leave
 * the client deaf (or silently missing entries); it is told instead where to resume ({@link #lastId()})
 * and fills any gap from history. HTTP answers 409 {@code cursor_reset} (docs/API.md).
 */
public final class CursorReset extends RuntimeException {
    private final long lastId;

    CursorReset(String message, long lastId) {
        super(message, null, false, false);
        this.lastId = lastId;
    }

    /** The cursor to poll from instead. */
    public long lastId() {
        return lastId;
    }
}
