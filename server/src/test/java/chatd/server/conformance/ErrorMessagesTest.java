package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors a client author can act on (issue 20): the same JSON shape and wording from the direct routes
 * (send, poll) and Javalin's, naming the line, column and field of malformed JSON, never the JSON
 * library's words.
 */
class ErrorMessagesTest {
    private static TestServer server;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = server.client();
        alice.createSession("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "/api/v1/messages|{\\n  \"command\": \"PRIVMSG\",\\n  \"body\": [\"x\" \"y\"]}|line 3, column 16: unexpected character '\"', expected ',' or ']' (near field 'body')",
        "/api/v1/messages|{\"command\": \"JOIN\", \"to\": \"#g\",|line 1, column 32: the body ends in the middle of a value",
        "/api/v1/messages|{\"command\": tru}|line 1, column 13: unknown word 'tru'",
        "/api/v1/messages|{\"command\": \"JOIN\", \"command\": \"PART\"}|field 'command' appears twice",
        "/api/v1/session|{nick: \"bob\"}|line 1, column 2: unexpected character 'n', expected a field name in double quotes",
        "/api/v1/session|{\"nick\" \"bob\"}|line 1, column 9: unexpected character '\"', expected ':' after the field name (near field 'nick')",
        "/api/v1/session|[\"bob\"]|the body must be a JSON object {...}, not an array",
    })
    void malformed_json_names_the_line_column_and_field(String path, String body, String expected) {
        ApiClient.Raw raw = alice.raw("POST", path, body.replace("\\n", "\n"), Map.of());
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.json().path("code").asText()).isEqualTo("invalid_json");
        assertThat(raw.json().path("error").asText()).startsWith("malformed JSON").contains(expected)
                .doesNotContain("Source:").doesNotContain("(code ").doesNotContain("Exception");
    }

    @Test
    void query_parameters_are_checked_alike_on_both_stacks() {
        ApiClient.Raw poll = alice.raw("GET", "/api/v1/messages?limit=0", null, Map.of());
        ApiClient.Raw history = alice.raw("GET", "/api/v1/history?target=%23x&limit=0", null, Map.of());
        for (ApiClient.Raw raw : new ApiClient.Raw[] {poll, history}) {
            assertThat(raw.status()).isEqualTo(400);
            assertThat(raw.json().path("code").asText()).isEqualTo("invalid_request");
            assertThat(raw.json().path("error").asText()).isEqualTo("query parameter 'limit' must be between 1 and 1000, not 0");
        }
    }

    @Test
    void a_channel_name_may_come_with_its_encoded_hash() {
        alice.send("JOIN", "#general");
        for (String name : new String[] {"general", "%23general", "%23GENERAL"}) {
            ApiClient.Raw raw = alice.raw("GET", "/api/v1/channels/" + name + "/members", null, Map.of());
            assertThat(raw.status()).as(name + ": " + raw.body()).isEqualTo(200);
            assertThat(raw.json().get(0).path("nick").asText()).isEqualTo("alice");
        }
        ApiClient.Raw missing = alice.raw("GET", "/api/v1/channels/%23nowhere/members", null, Map.of());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).isEqualTo("no such channel: #nowhere");
    }

    @Test
    void a_request_jetty_cannot_read_is_answered_in_json() throws IOException {
        String response = rawHttp("GET /api/v1/channels/%zz/members HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains("application/json").contains("\"code\":\"invalid_request\"")
                .doesNotContain("<html");
    }

    private static String rawHttp(String request) throws IOException {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
