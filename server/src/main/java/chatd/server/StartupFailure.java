package chatd.server;

/**
 * A start-up failure an operator can act on: the setting, the value it has and what is wrong with it,
 * printed as one line (the stack trace only with {@code CHATD_DEBUG=1}).
 */
public final class StartupFailure extends RuntimeException {
    public StartupFailure(String setting, Object value, String problem, Throwable cause) {
        super(setting + "=" + value + ": " + problem, cause);
    }

    /** The most specific message in a cause chain: the JDK's words for a socket, the driver's for a database. */
    public static String reason(Throwable e) {
        String found = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                found = t.getMessage();
            }
        }
        return found == null ? e.getClass().getSimpleName() : found.lines().findFirst().orElse(found);
    }
}
