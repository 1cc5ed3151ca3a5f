package chatd.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A log-linear latency histogram in microseconds, HdrHistogram-style: exact below 1,024 µs, then 512
 * sub-buckets per power of two (relative error under 0.2 %). Lock-free, so any thread may record.
 */
final class Histogram {
    private static final int LINEAR = 1024;
    private static final int SUB = 512;
    private static final int MAX_EXP = 44;
    private final AtomicLongArray counts = new AtomicLongArray(LINEAR + (MAX_EXP - 9) * SUB);
    private final LongAdder count = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void recordNanos(long nanos) {
        record(Math.max(0, nanos / 1000));
    }

    void record(long micros) {
        counts.incrementAndGet(index(micros));
        count.increment();
        max.accumulate(micros);
    }

    /** Adds everything {@code other} recorded (read it once its writers are done). */
    void addAll(Histogram other) {
        for (int i = 0; i < counts.length(); i++) {
            long n = other.counts.get(i);
            if (n > 0) {
                counts.addAndGet(i, n);
            }
        }
        count.add(other.count());
        max.accumulate(other.maxMicros());
    }

    long count() {
        return count.sum();
    }

    long maxMicros() {
        return max.get();
    }

    /** The value at percentile {@code p} (0–100), in microseconds. */
    long percentile(double p) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(valueAt(i), maxMicros());
            }
        }
        return maxMicros();
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exp = Math.min(63 - Long.numberOfLeadingZeros(v), MAX_EXP);
        int shift = exp - 9;
        int sub = (int) Math.min(v >>> shift, 2L * SUB - 1);
        return LINEAR + (exp - 10) * SUB + (sub - SUB);
    }

    /** The midpoint of bucket {@code i}. */
    static long valueAt(int i) {
        if (i < LINEAR) {
            return i;
        }
        int k = i - LINEAR;
        int exp = k / SUB + 10;
        long sub = k % SUB + SUB;
        int shift = exp - 9;
        return (sub << shift) + ((1L << shift) - 1) / 2;
    }
}
