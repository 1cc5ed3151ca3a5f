package chatd.cli.api;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small client of the chatd HTTP API (SPEC §3–§6), used by the terminal client, the tests and the
 * benchmarks. One instance is one client (device): it holds that client's bearer token.
 */
public final class ApiClient {
    private static final HttpClient SHARED = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final URI base;
    private final HttpClient http;
    private volatile String token;

    public ApiClient(String baseUrl) {
        this(baseUrl, SHARED);
    }

    public ApiClient(String baseUrl, HttpClient http) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.http = http;
    }

    /** Session + token as answered by session creation, register and login. */
    public record Login(long id, String nick, String token) {}

    /** One long-poll answer. */
    public record Poll(List<Envelope> messages, long lastId, long dropped) {}

    /** A raw answer, for callers (tests) that check statuses themselves. */
    public record Raw(int status, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public String baseUrl() {
        return base.toString();
    }

    public String token() {
        return token;
    }

    public ApiClient token(String value) {
        this.token = value;
        return this;
    }

    public Login createSession(String nick) {
        return createSession(nick, null);
    }

    public Login createSession(String nick, String hashcash) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("nick", nick);
        if (hashcash != null) {
            body.put("hashcash", hashcash);
        }
        return adopt(call("POST", "/api/v1/session", body));
    }

    public Login register(String nick, String password) {
        return adopt(call("POST", "/api/v1/register",
                Json.MAPPER.createObjectNode().put("nick", nick).put("password", password)));
    }

    /** Registers with a hashcash stamp (SPEC §3), for servers with {@code hashcash_bits} > 0. */
    public Login register(String nick, String password, String hashcash) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("nick", nick).put("password", password);
        if (hashcash != null) {
            body.put("hashcash", hashcash);
        }
        return adopt(call("POST", "/api/v1/register", body));
    }

    public Login login(String nick, String password) {
        return adopt(call("POST", "/api/v1/login",
                Json.MAPPER.createObjectNode().put("nick", nick).put("password", password)));
    }

    public void logout() {
        call("POST", "/api/v1/logout", Json.MAPPER.createObjectNode());
    }

    /** Sends one command envelope; answers the id of the message it created (or null). */
    public String send(Envelope envelope) {
        JsonNode answer = call("POST", "/api/v1/messages", Json.MAPPER.valueToTree(envelope));
        return answer.path("id").isTextual() ? answer.get("id").textValue() : null;
    }

    public String send(String command, String to, String... lines) {
        return send(Envelope.of(command, null, to, List.of(), List.of(lines)));
    }

    public String privmsg(String to, String text) {
        return send("PRIVMSG", to, text);
    }

    public Poll poll(long after, int timeoutSeconds, int limit) {
        JsonNode answer = call("GET", "/api/v1/messages?after=" + after + "&timeout=" + timeoutSeconds
                + (limit > 0 ? "&limit=" + limit : ""), null);
        List<Envelope> messages = new ArrayList<>();
        for (JsonNode node : answer.path("messages")) {
            messages.add(Json.MAPPER.convertValue(node, Envelope.class));
        }
        return new Poll(messages, answer.path("last_id").asLong(after), answer.path("dropped").asLong(0));
    }

    public JsonNode state() {
        return call("GET", "/api/v1/state", null);
    }

    /** History of a target, oldest first; each message node carries its {@code seq}. */
    public JsonNode history(String target, Long before, Integer limit) {
        StringBuilder path = new StringBuilder("/api/v1/history?target=").append(encode(target));
        if (before != null) {
            path.append("&before=").append(before);
        }
        if (limit != null) {
            path.append("&limit=").append(limit);
        }
        return call("GET", path.toString(), null).path("messages");
    }

    public JsonNode channels() {
        return call("GET", "/api/v1/channels", null);
    }

    public JsonNode members(String channel) {
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        return call("GET", "/api/v1/channels/" + encode(name) + "/members", null);
    }

    public JsonNode server() {
        return call("GET", "/api/v1/server", null);
    }

    /** Calls the API and answers the JSON body of a 2xx; throws {@link ApiException} otherwise. */
    public JsonNode call(String method, String path, JsonNode body) {
        Raw raw = raw(method, path, body == null ? null : Json.write(body), Map.of());
        JsonNode json = raw.body().isEmpty() ? Json.MAPPER.createObjectNode() : raw.json();
        if (raw.status() / 100 != 2) {
            String retry = raw.headers().getOrDefault("retry-after", List.of()).stream().findFirst().orElse(null);
            throw new ApiException(raw.status(), json.path("code").asText(""), json.path("error").asText(raw.body()), retry,
                    json.path("last_id").canConvertToLong() ? json.path("last_id").asLong() : -1);
        }
        return json;
    }

    /** Sends any request as given, with this client's token, and answers status, body and headers. */
    public Raw raw(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    private Login adopt(JsonNode answer) {
        Login login = new Login(answer.path("id").asLong(), answer.path("nick").asText(), answer.path("token").asText());
        this.token = login.token();
        return login;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
