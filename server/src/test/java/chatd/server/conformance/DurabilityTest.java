package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Drain;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost across {@code kill -9} (SPEC §8, issue 3): a real server process gets N
 * acknowledged messages, is SIGKILLed, restarts on the same store; history has all N and the reader
 * resumes from its cursor with no gap and no duplicate.
 */
class DurabilityTest {
    private static final int N = 300;

    @Test
    void acknowledged_messages_survive_sigkill_and_the_tail_is_delivered_exactly_once() {
        try (ChildServer server = ChildServer.start(Map.of("SERVER_NAME", "durable"))) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            ApiClient bob = server.client();
            bob.createSession("bob");
            alice.send("JOIN", "#d");
            bob.send("JOIN", "#d");
            long cursor = Drain.privmsgIds(bob, 0, new ArrayList<>());

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                sent.add(alice.privmsg("#d", "m" + i));
            }
            // bob reads the first 100 and acknowledges them by polling on; the rest stays unread.
            List<String> seen = new ArrayList<>();
            for (int read = 0; read < 2; read++) {
                ApiClient.Poll p = bob.poll(cursor, 0, 50);
                p.messages().stream().filter(e -> e.command().equals("PRIVMSG")).forEach(e -> seen.add(e.id()));
                cursor = p.lastId();
            }
            assertThat(seen).hasSize(100);

            server.kill();
            server.restart();

            ApiClient bobAgain = new ApiClient(server.url()).token(bob.token());
            Drain.privmsgIds(bobAgain, cursor, seen);
            assertThat(seen).as("every message exactly once, in order").isEqualTo(sent);

            JsonNode history = new ApiClient(server.url()).token(alice.token()).history("#d", null, 1000);
            List<String> stored = new ArrayList<>();
            history.forEach(m -> {
                if (m.path("command").asText().equals("PRIVMSG")) {
                    stored.add(m.path("id").asText());
                }
            });
            assertThat(stored).isEqualTo(sent);
        }
    }

    @Test
    void sigterm_answers_waiting_long_polls_and_keeps_everything() throws Exception {
        try (ChildServer server = ChildServer.start(Map.of("SERVER_NAME", "graceful"))) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            String id = alice.privmsg("alice", "note to self");
            long cursor = Drain.privmsgIds(alice, 0, new ArrayList<>());
            var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> alice.poll(cursor, 60, 100));
            chatd.server.testing.Wait.until("the poll to be parked", java.time.Duration.ofSeconds(10),
                    () -> server.client().raw("GET", "/metrics", null, Map.of()).body().contains("chatd_polls_in_progress 1.0"));
            long t0 = System.nanoTime();
            server.terminate();
            ApiClient.Poll answer = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.messages()).isEmpty();
            assertThat((System.nanoTime() - t0) / 1_000_000_000).isLessThan(20);
            assertThat(server.logText()).contains("stopped");
            server.restart();
            JsonNode history = new ApiClient(server.url()).token(alice.token()).history("alice", null, 10);
            assertThat(history.get(0).path("id").asText()).isEqualTo(id);
        }
    }
}
