package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/history with what IRC's CHATHISTORY asks (before, after, around and between a seq, a message
 * id or a time; messages only) and GET /api/v1/history/targets: the same core answers both (issue 18).
 */
class HistoryQueryTest {

    private static List<String> targetNames(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("targets").forEach(t -> out.add(t.path("target").asText()));
        return out;
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("command").asText().equals("PRIVMSG") ? m.path("body").get(0).asText() : m.path("command").asText()));
        return out;
    }

    private static JsonNode get(ApiClient client, String query) {
        return client.call("GET", "/api/v1/history?" + query, null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void pages_around_after_and_between_references_of_every_kind() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", "#q");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(alice.privmsg("#q", "m" + i));
            }
            JsonNode all = alice.history("#q", null, null);
            assertThat(texts(all)).as("every event, as before").containsExactly("JOIN", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            long seq3 = all.get(4).path("seq").asLong();

            assertThat(texts(get(alice, "target=%23q&messages_only=true&limit=3").path("messages"))).containsExactly("m7", "m8", "m9");
            assertThat(texts(get(alice, "target=%23q&after=" + seq3 + "&limit=2").path("messages"))).containsExactly("m4", "m5");
            assertThat(texts(get(alice, "target=%23q&after=" + ids.get(3) + "&limit=2").path("messages"))).containsExactly("m4", "m5");
            assertThat(texts(get(alice, "target=%23q&before=" + ids.get(3) + "&limit=2").path("messages"))).containsExactly("m1", "m2");
            assertThat(texts(get(alice, "target=%23q&around=" + ids.get(5) + "&limit=3").path("messages"))).containsExactly("m4", "m5", "m6");
            assertThat(texts(get(alice, "target=%23q&after=" + ids.get(0) + "&before=" + ids.get(4)).path("messages")))
                    .containsExactly("m1", "m2", "m3");
            assertThat(texts(get(alice, "target=%23q&after=2000-01-01T00:00:00Z&limit=2&messages_only=true").path("messages")))
                    .containsExactly("m0", "m1");
            assertThat(texts(get(alice, "target=%23q&before=" + enc("2999-01-01T00:00:00+02:00") + "&limit=1").path("messages")))
                    .containsExactly("m9");
            assertThat(get(alice, "target=%23q&after=no-such-id").path("messages")).isEmpty();
        }
    }

    @Test
    void targets_lists_the_callers_channels_and_dm_partners_by_latest_activity() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            ApiClient bob = server.client();
            bob.createSession("bob");
            alice.send("JOIN", "#one");
            bob.send("JOIN", "#two");
            alice.privmsg("#one", "a");
            alice.privmsg("bob", "dm");
            bob.privmsg("#two", "b");

            JsonNode targets = alice.call("GET", "/api/v1/history/targets", null).path("targets");
            assertThat(targets).hasSize(2);
            assertThat(targets.get(0).path("target").asText()).isEqualTo("#one");
            assertThat(targets.get(1).path("target").asText()).isEqualTo("bob");
            assertThat(targets.get(1).path("last_ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(alice.call("GET", "/api/v1/history/targets?limit=1", null).path("targets")).hasSize(1);
            assertThat(alice.call("GET", "/api/v1/history/targets?after=2999-01-01T00:00:00Z&before=3000-01-01T00:00:00Z", null)
                    .path("targets")).isEmpty();
            assertThat(targetNames(bob.call("GET", "/api/v1/history/targets", null))).containsExactly("alice", "#two");

            // #one's newest event is now a JOIN, its newest message still the first one
            bob.send("JOIN", "#one");
            assertThat(targetNames(alice.call("GET", "/api/v1/history/targets", null))).containsExactly("bob", "#one");
            assertThat(targetNames(alice.call("GET", "/api/v1/history/targets?messages_only=true", null)))
                    .containsExactly("#one", "bob");
        }
    }

    @Test
    void a_dm_key_names_one_pair_even_when_nicks_contain_the_old_separator() {
        try (TestServer server = TestServer.start()) {
            ApiClient xx = server.client();
            xx.register("xx", "password-xx");
            ApiClient yyzz = server.client();
            yyzz.register("yy|zz", "password-yyzz");
            ApiClient attacker = server.client();
            attacker.register("xx|yy", "password-xxyy");
            xx.privmsg("yy|zz", "between xx and yy|zz");
            assertThat(texts(yyzz.history("xx", null, null))).containsExactly("between xx and yy|zz");
            // with dm:a|b keys, "xx|yy" with "zz" and "xx" with "yy|zz" were both dm:xx|yy|zz
            assertThat(attacker.history("zz", null, null)).isEmpty();
            assertThat(attacker.call("GET", "/api/v1/history/targets", null).path("targets")).isEmpty();
        }
    }

    @Test
    void bad_parameters_are_400_with_the_parameter_named_and_non_members_are_403() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", "#q");
            Map<String, String> bad = Map.of(
                    "target=%23q&around=1&before=2", "query parameter 'around' cannot be combined with 'before' or 'after'",
                    "target=%23q&after=not%20an%20id", "query parameter 'after' must be a seq, a message id or an RFC 3339 time",
                    "target=%23q&messages_only=yes", "query parameter 'messages_only' must be true or false",
                    "target=%23q&limit=1001", "query parameter 'limit' must be between 1 and 1000, not 1001",
                    "target=bo%20b", "the target bo b is neither a channel nor a nick");
            for (Map.Entry<String, String> e : bad.entrySet()) {
                ApiClient.Raw raw = alice.raw("GET", "/api/v1/history?" + e.getKey(), null, Map.of());
                assertThat(raw.status()).as(e.getKey()).isEqualTo(400);
                assertThat(raw.json().path("code").asText()).isEqualTo("invalid_request");
                assertThat(raw.json().path("error").asText()).as(e.getKey()).startsWith(e.getValue());
            }
            ApiClient.Raw targets = alice.raw("GET", "/api/v1/history/targets?after=yesterday", null, Map.of());
            assertThat(targets.status()).isEqualTo(400);
            assertThat(targets.json().path("error").asText()).startsWith("query parameter 'after' must be an RFC 3339 time");

            ApiClient bob = server.client();
            bob.createSession("bob");
            ApiClient.Raw forbidden = bob.raw("GET", "/api/v1/history?target=%23q&after=0", null, Map.of());
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.json().path("code").asText()).isEqualTo("forbidden");
        }
    }
}
