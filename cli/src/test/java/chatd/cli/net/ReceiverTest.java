package chatd.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.cli.model.ConnectionState;
import chatd.protocol.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReceiverTest {
    private final List<String> delivered = new ArrayList<>();
    private final List<Long> cursors = new ArrayList<>();
    private final List<ConnectionState> states = new ArrayList<>();
    private final List<Long> afters = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private List<Envelope> backfill = List.of();
    private int backfills;

    private static Envelope msg(String id) {
        return Envelope.of("PRIVMSG", "bob", "#room", List.of(), List.of(id)).withIdentity(id, null, "bob", "alpha");
    }

    private Receiver receiver(Deque<Supplier<ApiClient.Poll>> script, long cursor) {
        Receiver[] self = new Receiver[1];
        Receiver.Source source = (after, timeout) -> {
            afters.add(after);
            if (script.isEmpty()) {
                self[0].stop();
                return new ApiClient.Poll(List.of(), after, 0);
            }
            return script.removeFirst().get();
        };
        Receiver.Sink sink = new Receiver.Sink() {
            public void deliver(Envelope envelope) {
                delivered.add(envelope.id());
            }

            public void dropped(long count) {
                delivered.add("dropped:" + count);
            }

            public void cursor(long value) {
                cursors.add(value);
            }

            public void state(ConnectionState state, String detail) {
                states.add(state);
            }
        };
        Receiver.Backfill history = () -> {
            backfills++;
            return backfill;
        };
        self[0] = new Receiver(source, history, sink, cursor, new Backoff(Duration.ofMillis(100), Duration.ofMillis(350)), pauses::add);
        return self[0];
    }

    private static Supplier<ApiClient.Poll> answer(long lastId, String... ids) {
        return () -> new ApiClient.Poll(List.of(ids).stream().map(ReceiverTest::msg).toList(), lastId, 0);
    }

    private static Supplier<ApiClient.Poll> networkDown() {
        return () -> {
            throw new UncheckedIOException(new IOException("connection refused"));
        };
    }

    @Test
    void resumes_from_its_cursor_after_network_errors_without_losing_or_repeating() {
        Deque<Supplier<ApiClient.Poll>> script = new ArrayDeque<>(List.of(
                answer(2, "a", "b"),
                networkDown(), networkDown(), networkDown(), networkDown(),
                answer(3, "c"),
                answer(4, "c", "d"))); // a replay of c (e.g. after a lost ack) is not shown twice
        Receiver receiver = receiver(script, 0);
        receiver.run();
        assertThat(delivered).containsExactly("a", "b", "c", "d");
        assertThat(afters).startsWith(0L, 2L, 2L, 2L, 2L, 2L, 3L, 4L);
        assertThat(cursors).containsExactly(2L, 3L, 4L);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350), Duration.ofMillis(350));
        assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.RECONNECTING, ConnectionState.RECONNECTING,
                ConnectionState.RECONNECTING, ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        assertThat(receiver.cursor()).isEqualTo(4);
    }

    @Test
    void starts_from_a_saved_cursor() {
        receiver(new ArrayDeque<>(List.of(answer(9, "x"))), 7).run();
        assertThat(afters.getFirst()).isEqualTo(7L);
        assertThat(cursors).containsExactly(9L);
    }

    @Test
    void rate_limits_wait_for_retry_after() {
        Deque<Supplier<ApiClient.Poll>> script = new ArrayDeque<>(List.of(() -> {
            throw new ApiException(429, "rate_limited", "slow down", "7");
        }, answer(1, "a")));
        receiver(script, 0).run();
        assertThat(pauses).containsExactly(Duration.ofSeconds(7));
        assertThat(delivered).containsExactly("a");
    }

    @Test
    void a_forgotten_client_stops_the_loop() {
        Deque<Supplier<ApiClient.Poll>> script = new ArrayDeque<>(List.of(() -> {
            throw new ApiException(401, "unauthorized", "no such token", null);
        }, answer(1, "never")));
        receiver(script, 0).run();
        assertThat(states).containsExactly(ConnectionState.LOGGED_OUT);
        assertThat(delivered).isEmpty();
    }

    @Test
    void overflow_is_reported_and_the_gap_filled_from_history() {
        backfill = List.of(msg("y"));
        receiver(new ArrayDeque<>(List.of(() -> new ApiClient.Poll(List.of(msg("z")), 50, 12))), 0).run();
        assertThat(delivered).containsExactly("dropped:12", "y", "z");
    }

    /** The server's stale-cursor answer (SPEC §4, 409 cursor_reset): resume from its last_id, fill the gap once. */
    @Test
    void a_cursor_reset_resumes_from_the_servers_cursor_and_fills_the_gap_from_history() {
        backfill = List.of(msg("a"), msg("lost-1"), msg("lost-2"));
        Deque<Supplier<ApiClient.Poll>> script = new ArrayDeque<>(List.of(
                answer(5, "a"),
                () -> {
                    throw new ApiException(409, "cursor_reset", "cursor ahead of the queue", null, 3);
                },
                answer(4, "lost-2", "b")));
        receiver(script, 0).run();
        assertThat(afters).startsWith(0L, 5L, 3L, 4L);
        assertThat(cursors).containsExactly(5L, 3L, 4L);
        assertThat(backfills).isEqualTo(1);
        assertThat(delivered).containsExactly("a", "lost-1", "lost-2", "b"); // each once, in order
        assertThat(pauses).isEmpty(); // not an outage: no backoff
    }

    @Test
    void repeated_cursor_resets_back_off() {
        Supplier<ApiClient.Poll> reset = () -> {
            throw new ApiException(409, "cursor_reset", "stale", null, 0);
        };
        receiver(new ArrayDeque<>(List.of(reset, reset, reset, answer(1, "a"))), 5).run();
        assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(350));
        assertThat(delivered).containsExactly("a");
    }

    @Test
    void a_409_that_is_not_a_cursor_reset_is_an_ordinary_failure() {
        Deque<Supplier<ApiClient.Poll>> script = new ArrayDeque<>(List.of(() -> {
            throw new ApiException(409, "nick_in_use", "nick in use", null);
        }, answer(1, "a")));
        receiver(script, 0).run();
        assertThat(backfills).isZero();
        assertThat(pauses).hasSize(1);
    }
}
