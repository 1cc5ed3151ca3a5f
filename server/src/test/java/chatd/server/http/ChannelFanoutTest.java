package chatd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.protocol.Envelope;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A message to a channel whose members all wait in a long-poll: each of them is answered with it, once.
 * Enough members that the answers are written by several threads at once (see {@code PollTimer}).
 */
class ChannelFanoutTest {
    private static final int MEMBERS = 200;

    @Test
    void every_waiting_member_is_answered_with_the_message_once() throws Exception {
        try (TestServer server = TestServer.start(Map.of("LOGIN_RATE_LIMIT", "10000"))) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", "#big");
            List<ApiClient> members = new ArrayList<>();
            List<Long> cursors = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                ApiClient member = server.client();
                member.createSession("member" + i);
                member.send("JOIN", "#big");
                members.add(member);
            }
            for (ApiClient member : members) {
                cursors.add(drain(member));
            }
            int before = server.server().core().pollsInProgress();
            List<CompletableFuture<ApiClient.Poll>> answers = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                ApiClient member = members.get(i);
                long cursor = cursors.get(i);
                CompletableFuture<ApiClient.Poll> answer = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        answer.complete(member.poll(cursor, 30, 100));
                    } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                    }
                });
                answers.add(answer);
            }
            Wait.until("every member's poll to wait", Duration.ofSeconds(30),
                    () -> server.server().core().pollsInProgress() >= before + MEMBERS);

            String id = alice.send("PRIVMSG", "#big", "to everyone");

            for (int i = 0; i < MEMBERS; i++) {
                List<Envelope> got = answers.get(i).get(30, TimeUnit.SECONDS).messages();
                assertThat(got).as("member%d's answer", i).hasSize(1);
                assertThat(got.getFirst().id()).isEqualTo(id);
                assertThat(got.getFirst().from()).isEqualTo("alice");
                assertThat(got.getFirst().body().get(0).asText()).isEqualTo("to everyone");
            }
            // Nothing more for anyone: the message was answered once, not again to a later poll.
            for (int i = 0; i < MEMBERS; i += 50) {
                ApiClient.Poll again = members.get(i).poll(answers.get(i).get().lastId(), 0, 100);
                assertThat(again.messages()).isEmpty();
            }
        }
    }

    private static long drain(ApiClient client) {
        long cursor = 0;
        while (true) {
            ApiClient.Poll p = client.poll(cursor, 0, 1000);
            if (p.messages().isEmpty()) {
                return cursor;
            }
            cursor = p.lastId();
        }
    }
}
