package chatd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void addAllMergesCountsPercentilesAndMax() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int i = 1; i <= 90; i++) {
            a.record(10);
        }
        for (int i = 1; i <= 10; i++) {
            b.record(5_000);
        }
        Histogram all = new Histogram();
        all.addAll(a);
        all.addAll(b);
        assertThat(all.count()).isEqualTo(100);
        assertThat(all.percentile(90)).isEqualTo(10);
        assertThat(all.percentile(91)).isBetween(4_990L, 5_000L);
        assertThat(all.maxMicros()).isEqualTo(5_000);
        assertThat(a.count()).isEqualTo(90); // the parts are left as they were
    }
}
