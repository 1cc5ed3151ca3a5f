package chatd.cli.net;

import java.time.Duration;

/** Exponential reconnect delays: {@code initial}, doubled per failure, capped at {@code max}. */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));

    /** The delay before retry number {@code failures} (1 = first retry). */
    public Duration delay(int failures) {
        long millis = initial.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
