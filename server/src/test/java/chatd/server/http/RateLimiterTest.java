package chatd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one rate limiter: refusing (HTTP, with the seconds for Retry-After) and pacing (IRC fakelag). */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void the_flood_bucket_allows_a_burst_then_paces() {
        RateLimiter flood = RateLimiter.burstThenPerSecond(3, 2, now::get);
        assertThat(flood.lag("a")).isZero();
        assertThat(flood.lag("a")).isZero();
        assertThat(flood.lag("a")).isZero();
        assertThat(flood.lag("a")).isEqualTo(500_000_000L);
        assertThat(flood.lag("b")).as("another connection has its own budget").isZero();
        now.addAndGet(2_000_000_000L);
        assertThat(flood.lag("a")).isZero();
    }

    @Test
    void a_refusal_says_how_many_seconds_to_wait() {
        RateLimiter logins = RateLimiter.burstThenPerSecond(2, 0.1, now::get);
        assertThat(logins.acquire("10.0.0.1")).isZero();
        assertThat(logins.acquire("10.0.0.1")).isZero();
        assertThat(logins.acquire("10.0.0.1")).isEqualTo(10);
        now.addAndGet(4_000_000_000L);
        assertThat(logins.acquire("10.0.0.1")).isEqualTo(6);
        now.addAndGet(6_000_000_000L);
        assertThat(logins.acquire("10.0.0.1")).isZero();
    }

    @Test
    void many_passing_keys_stay_within_the_bound() {
        RateLimiter logins = RateLimiter.burstThenPerSecond(1, 1, now::get);
        for (int i = 0; i < RateLimiter.MAX_KEYS * 2; i++) {
            logins.acquire("key-" + i);
        }
        assertThat(logins.size()).isLessThanOrEqualTo(RateLimiter.MAX_KEYS);
    }
}
