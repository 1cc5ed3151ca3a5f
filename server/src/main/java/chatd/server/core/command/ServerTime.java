package chatd.server.core.command;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times as IRCv3 writes them: UTC with milliseconds, always ({@code 2024-01-02T03:04:05.678Z}). */
public final class ServerTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ServerTime() {}

    public static String format(Instant at) {
        return FORMAT.format(at);
    }

    /** An RFC 3339 time ({@code Z} or an offset), or null when the text is not one. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
