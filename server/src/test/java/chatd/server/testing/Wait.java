package chatd.server.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline — never a fixed sleep. */
public final class Wait {
    private Wait() {}

    /** Polls {@code condition} until true or the deadline passes (then fails with {@code what}). */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause(Duration.ofMillis(20));
        }
    }

    /** Polls {@code supplier} until it answers non-null, and answers that. */
    public static <T> T forValue(String what, Duration timeout, Supplier<T> supplier) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = supplier.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause(Duration.ofMillis(20));
        }
    }

    /** The polling interval between two checks of a condition. */
    static void pause(Duration d) {
        LockSupport.parkNanos(d.toNanos());
    }
}
