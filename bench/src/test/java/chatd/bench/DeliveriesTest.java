package chatd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
    private final Histogram latency = new Histogram();
    private final Deliveries d = new Deliveries(latency);

    @Test
    void countsEachMessageOnceAndSaysWhichCameAfterALaterOne() {
        assertThat(d.record(0, 0, 0, 10)).isTrue();
        assertThat(d.record(0, 2, 0, 20)).isTrue();
        assertThat(d.record(0, 1, 0, 30)).isTrue(); // after seq 2: out of order
        assertThat(d.record(0, 2, 0, 40)).isFalse(); // twice
        assertThat(d.record(1, 0, 0, 50)).isTrue(); // another sender has its own order
        assertThat(d.delivered()).isEqualTo(4);
        assertThat(d.duplicates()).isEqualTo(1);
        assertThat(d.outOfOrder()).isEqualTo(1);
        assertThat(d.lastDeliveryNanos()).isEqualTo(50);
    }

    @Test
    void missingIsWhatWasSentButNotDelivered() {
        d.record(0, 0, 0, 1);
        d.record(0, 3, 0, 1);
        assertThat(d.missing(0, 5)).isEqualTo(3); // 1, 2 and 4
        assertThat(d.missing(1, 2)).isEqualTo(2);
        assertThat(d.missing(0, 0)).isZero();
        BitSet acked = new BitSet();
        acked.set(0, 4);
        assertThat(d.missing(0, acked)).isEqualTo(2);
    }

    @Test
    void latencyOnlyForMessagesSentInTheMeasuredPhase() {
        d.measureFrom(1_000_000);
        d.record(0, 0, 999_999, 5_000_000); // warm-up
        d.record(0, 1, 1_000_000, 4_000_000);
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.maxMicros()).isEqualTo(3_000);
    }
}
