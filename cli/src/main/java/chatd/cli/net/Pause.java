package chatd.cli.net;

import java.time.Duration;

/** Waits between retries; tests pass one that returns at once. */
@FunctionalInterface
public interface Pause {
    Pause REAL = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
