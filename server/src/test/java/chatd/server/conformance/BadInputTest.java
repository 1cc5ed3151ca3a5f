package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.Mailbox;
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
 * Bad input gets a clear JSON error with the right status, never a 500 or a stack trace, and the server
 * keeps serving (SPEC §1, issue 2 item 8, issue 3 malformed-input tests).
 */
class BadInputTest {
    private static TestServer server;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("MAX_MESSAGE_SIZE", "16384"));
        alice = server.client();
        alice.createSession("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', value = {
        "POST|/api/v1/session|{bad json|400|invalid_json",
        "POST|/api/v1/session|[1,2]|400|invalid_json",
        "POST|/api/v1/session|{\"nick\": 42}|400|invalid_request",
        "POST|/api/v1/session|{}|400|invalid_request",
        "POST|/api/v1/session|{\"nick\": \"alice\", \"nick\": \"bob\"}|400|invalid_json",
        "POST|/api/v1/register|{\"nick\": \"zed\", \"password\": \"short\"}|400|invalid_request",
        "POST|/api/v1/register|{\"nick\": \"zed\"}|400|invalid_request",
        "POST|/api/v1/login|{\"nick\": \"zed\", \"password\": 12345678}|400|invalid_request",
        "GET|/api/v1/nothing-here||404|not_found",
        "DELETE|/api/v1/session||405|method_not_allowed",
        "PUT|/api/v1/messages|{}|405|method_not_allowed",
    })
    void unauthenticated_bad_requests(String method, String path, String body, int status, String code) {
        ApiClient.Raw raw = server.client().raw(method, path, body, Map.of());
        assertThat(raw.status()).isEqualTo(status);
        assertThat(raw.json().path("code").asText()).isEqualTo(code);
        assertThat(raw.json().path("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        stillServing();
    }

    @Test
    void missing_and_bad_tokens_are_401() {
        for (String token : new String[] {null, "", "nonsense", "x".repeat(5000)}) {
            ApiClient client = new ApiClient(server.url()).token(token);
            ApiClient.Raw raw = client.raw("GET", "/api/v1/state", null, Map.of());
            assertThat(raw.status()).isEqualTo(401);
            assertThat(raw.json().path("code").asText()).isEqualTo("unauthorized");
        }
        ApiClient.Raw basic = server.client().raw("GET", "/api/v1/state", null, Map.of("Authorization", "Basic Zm9vOmJhcg=="));
        assertThat(basic.status()).isEqualTo(401);
        stillServing();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"command\": \"PRIVMSG\", \"to\": \"#x\", \"body\": \"a bare string\"}|400",
        "{\"command\": \"PRIVMSG\", \"to\": \"#x\", \"body\": [1, 2]}|400",
        "{\"command\": \"PRIVMSG\", \"to\": 5, \"body\": [\"x\"]}|400",
        "{\"command\": 7}|400",
        "{\"to\": \"#x\"}|400",
        "{\"command\": \"PRIV MSG\"}|400",
        "{\"command\": \"PRIVMSG\", \"to\": \"#x\", \"params\": \"nope\"}|400",
        "{\"command\": \"PRIVMSG\", \"to\": \"#x\", \"body\": [\"a\\u0000b\"]}|400",
        "{\"command\": \"PRIVMSG\", \"to\": \"#x\", \"body\": [\"line\\r\\ninjected\"]}|400",
        "{\"command\": \"PRIVMSG\", \"id\": \"not-a-uuid\", \"to\": \"#x\", \"body\": [\"x\"]}|400",
        "{\"command\": \"PRIVMSG\", \"to\": \"#x\", \"meta\": []}|400",
        "[]|400",
    })
    void malformed_commands_are_400(String body, int status) {
        ApiClient.Raw raw = alice.raw("POST", "/api/v1/messages", body, Map.of());
        assertThat(raw.status()).as(raw.body()).isEqualTo(status);
        assertThat(raw.json().path("code").asText()).isIn("invalid_json", "invalid_request");
        stillServing();
    }

    @Test
    void a_ten_thousand_line_body_is_refused() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            lines.append(i == 0 ? "" : ",").append("\"\"");
        }
        ApiClient.Raw raw = alice.raw("POST", "/api/v1/messages", "{\"command\":\"PRIVMSG\",\"to\":\"#x\",\"body\":[" + lines + "]}", Map.of());
        assertThat(raw.status()).isIn(400, 413);
        assertThat(raw.json().path("code").asText()).isIn("invalid_request", "too_large");
        stillServing();
    }

    @Test
    void a_body_over_the_limit_is_413() {
        String big = "{\"command\":\"PRIVMSG\",\"to\":\"#x\",\"body\":[\"" + "y".repeat(20_000) + "\"]}";
        ApiClient.Raw raw = alice.raw("POST", "/api/v1/messages", big, Map.of());
        assertThat(raw.status()).isEqualTo(413);
        assertThat(raw.json().path("code").asText()).isEqualTo("too_large");
        stillServing();
    }

    @Test
    void invalid_utf8_is_400() throws IOException {
        byte[] prefix = "{\"command\":\"PRIVMSG\",\"to\":\"#x\",\"body\":[\"".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\"]}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3;
        body[prefix.length + 1] = (byte) 0x28;
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        String response = rawHttp("POST", "/api/v1/messages", body);
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("invalid_json");
        stillServing();
    }

    @Test
    void an_unknown_command_is_numeric_421() {
        Mailbox box = new Mailbox(alice);
        box.drain();
        alice.send("FROBNICATE", "#x");
        var reply = box.awaitNumeric("421");
        assertThat(reply.params()).containsExactly("FROBNICATE");
        stillServing();
    }

    @Test
    void bad_query_parameters_are_400() {
        assertThat(alice.raw("GET", "/api/v1/messages?after=abc", null, Map.of()).status()).isEqualTo(400);
        assertThat(alice.raw("GET", "/api/v1/messages?limit=0", null, Map.of()).status()).isEqualTo(400);
        assertThat(alice.raw("GET", "/api/v1/history", null, Map.of()).status()).isEqualTo(400);
        stillServing();
    }

    /** Sends raw bytes over a socket (no client library normalising them). */
    private static String rawHttp(String method, String path, byte[] body) throws IOException {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + alice.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void stillServing() {
        assertThat(server.client().raw("GET", "/.well-known/healthcheck.json", null, Map.of()).status()).isEqualTo(200);
        assertThat(alice.state().path("nick").asText()).isEqualTo("alice");
    }
}
