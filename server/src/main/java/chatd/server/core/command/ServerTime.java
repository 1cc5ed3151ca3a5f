package chatd.server.core.command;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as IRCv3 writes them: UTC with milliseconds, always ({@code 2024-01-02T03:04:05.678Z}). */
public final class ServerTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ServerTime() {}

    public static String format(Instant at) {
        return FORMAT.format(at);
    }
}
