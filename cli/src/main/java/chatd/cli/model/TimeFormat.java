package chatd.cli.model;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Turns an envelope's RFC 3339 {@code ts} into the {@code HH:MM} of a line, in the user's zone. */
public final class TimeFormat {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final ZoneId zone;
    private final InstantSource clock;

    public TimeFormat(ZoneId zone, InstantSource clock) {
        this.zone = zone;
        this.clock = clock;
    }

    public static TimeFormat system() {
        return new TimeFormat(ZoneId.systemDefault(), InstantSource.system());
    }

    /** {@code HH:MM} of {@code ts}; the current time when it is absent or unreadable. */
    public String format(String ts) {
        Instant instant = clock.instant();
        if (ts != null) {
            try {
                instant = Instant.parse(ts);
            } catch (DateTimeParseException ignored) {
                // a server that sends a malformed ts still gets its line shown, stamped now
            }
        }
        return HH_MM.format(instant.atZone(zone));
    }

    /** {@code HH:MM} of an epoch-seconds string (as in 333 RPL_TOPICWHOTIME), or the text unchanged. */
    public String formatEpoch(String seconds) {
        try {
            return HH_MM.format(Instant.ofEpochSecond(Long.parseLong(seconds)).atZone(zone))
                    + " " + Instant.ofEpochSecond(Long.parseLong(seconds)).atZone(zone).toLocalDate();
        } catch (NumberFormatException e) {
            return seconds;
        }
    }
}
