package chatd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Long-polls that must not go deaf or leak: a cursor the server cannot serve answers 409
 * {@code cursor_reset} with the cursor to resume from (docs/API.md), and polls whose clients hung up
 * leave no waiter behind.
 */
class LongPollFaultsTest {
    @Test
    void a_cursor_ahead_of_the_newest_entry_is_reset_and_the_client_then_hears_what_comes() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            ApiClient bob = server.client();
            bob.createSession("bob");
            long newest = drain(bob, 0);

            // A client restored from an old state (or a store that was reset) polls from a cursor never given.
            ApiClient.Raw reset = bob.raw("GET", "/api/v1/messages?after=" + (newest + 1000) + "&timeout=5", null, Map.of());
            assertThat(reset.status()).isEqualTo(409);
            JsonNode body = reset.json();
            assertThat(body.path("code").asText()).isEqualTo("cursor_reset");
            assertThat(body.path("error").asText()).isNotEmpty();
            assertThat(body.path("last_id").asLong()).isEqualTo(newest);

            alice.send("PRIVMSG", "bob", "still there?");
            ApiClient.Poll next = bob.poll(body.path("last_id").asLong(), 10, 100);
            assertThat(next.messages()).extracting(e -> e.body().get(0).asText()).containsExactly("still there?");
        }
    }

    @Test
    void a_cursor_below_what_was_acknowledged_and_discarded_is_reset() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            ApiClient bob = server.client();
            bob.createSession("bob");
            alice.send("PRIVMSG", "bob", "one");
            long cursor = drain(bob, 0);
            bob.poll(cursor, 0, 100); // acknowledges everything: the queue drops it

            ApiClient.Raw reset = bob.raw("GET", "/api/v1/messages?after=0&timeout=0", null, Map.of());
            assertThat(reset.status()).isEqualTo(409);
            assertThat(reset.json().path("code").asText()).isEqualTo("cursor_reset");
            assertThat(reset.json().path("last_id").asLong()).isEqualTo(cursor);
            // Polling again with the cursor acknowledged is still fine (a dropped response is retried so).
            assertThat(bob.poll(cursor, 0, 100).messages()).isEmpty();
        }
    }

    @Test
    void ten_thousand_abandoned_long_polls_leave_no_waiter_behind() throws IOException {
        try (TestServer server = TestServer.start()) {
            ApiClient bob = server.client();
            bob.createSession("bob");
            long cursor = drain(bob, 0);
            byte[] request = ("GET /api/v1/messages?after=" + cursor + "&timeout=60 HTTP/1.1\r\nHost: test\r\n"
                    + "Authorization: Bearer " + bob.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            int port = java.net.URI.create(server.url()).getPort();
            for (int round = 0; round < 20; round++) {
                List<Socket> sockets = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    out.flush();
                    sockets.add(s);
                }
                Wait.until("500 polls waiting", Duration.ofSeconds(30), () -> server.server().core().pollsInProgress() == 500);
                for (Socket s : sockets) {
                    s.close();
                }
                Wait.until("the abandoned polls withdrawn (their timeout is 60 s)", Duration.ofSeconds(20),
                        () -> server.server().core().pollsInProgress() == 0);
            }
            assertThat(bob.raw("GET", "/metrics", null, Map.of()).body()).contains("chatd_polls_in_progress 0.0");
        }
    }

    /** Reads everything queued (the welcome) and answers the cursor after it. */
    private static long drain(ApiClient client, long after) {
        long cursor = after;
        while (true) {
            ApiClient.Poll p = client.poll(cursor, 0, 1000);
            if (p.messages().isEmpty()) {
                return cursor;
            }
            cursor = p.lastId();
        }
    }
}
