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
        self[0] = new Receiver(source, sink, cursor, new Backoff(Duration.ofMillis(100), Duration.ofMillis(350)), pauses::add);
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
    void overflow_is_reported() {
        receiver(new ArrayDeque<>(List.of(() -> new ApiClient.Poll(List.of(msg("z")), 50, 12))), 0).run();
        assertThat(delivered).containsExactly("dropped:12", "z");
    }
}
