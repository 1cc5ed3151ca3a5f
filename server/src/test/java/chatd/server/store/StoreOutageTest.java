package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.protocol.Envelope;
import chatd.server.testing.StoreOutage;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a running server (SQLite: the file is locked by another writer;
 * PostgreSQL: the database refuses connections and its sessions are terminated) and comes back: the
 * health check says degraded, writes answer 503 with Retry-After without applying anything, reads from
 * memory go on, and once the store is back a retry with the same message id is stored exactly once.
 */
class StoreOutageTest {
    @Test
    void writes_are_refused_while_the_store_is_down_and_a_retry_with_the_same_id_is_stored_once() throws Exception {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", "#outage");
            String before = alice.send(privmsg("before"));

            JsonNode caught;
            ApiException refused;
            try (StoreOutage outage = StoreOutage.begin(server.dbUrl())) {
                // Caught in flight: not acknowledged (the journal keeps retrying it until the store is back).
                ApiException inFlight = catchThrowableOfType(ApiException.class, () -> alice.send(privmsg("in-flight")));
                assertThat(inFlight.status()).isEqualTo(503);
                assertThat(inFlight.code()).isEqualTo("unavailable");
                assertThat(inFlight.retryAfter()).isNotNull();

                caught = Wait.forValue("the health check to report the outage", Duration.ofSeconds(30), () -> {
                    ApiClient.Raw health = alice.raw("GET", "/.well-known/healthcheck.json", null, Map.of());
                    return health.status() == 503 ? health.json() : null;
                });

                refused = catchThrowableOfType(ApiException.class, () -> alice.send(privmsg("refused")));
                // Reads served from memory still work.
                assertThat(alice.channels()).hasSize(1);
                assertThat(alice.members("#outage")).hasSize(1);
            }
            assertThat(caught.path("status").asText()).isEqualTo("degraded");
            assertThat(caught.path("reason").asText()).startsWith("store unavailable");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.retryAfter()).isEqualTo("5");

            Wait.until("the health check to be ok again", Duration.ofSeconds(30),
                    () -> alice.raw("GET", "/.well-known/healthcheck.json", null, Map.of()).status() == 200);
            assertThat(alice.send(privmsg("in-flight"))).isEqualTo(id("in-flight"));
            assertThat(alice.send(privmsg("refused"))).isEqualTo(id("refused"));
            assertThat(alice.send(privmsg("after"))).isEqualTo(id("after"));

            JsonNode history = alice.history("#outage", null, 100);
            List<String> ids = new java.util.ArrayList<>();
            history.forEach(m -> {
                if (m.path("command").asText().equals("PRIVMSG")) {
                    ids.add(m.path("id").asText());
                }
            });
            assertThat(ids).as("every acknowledged message once, in order").containsExactly(before, id("in-flight"), id("refused"), id("after"));
            assertThat(scrape(alice)).contains("chatd_store_up 1.0");
        }
    }

    private static Envelope privmsg(String name) {
        return Envelope.of("PRIVMSG", null, "#outage", List.of(), List.of("message " + name)).withIdentity(id(name), null, null, null);
    }

    /** The client-chosen message id of a named message. */
    private static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String scrape(ApiClient client) {
        return client.raw("GET", "/metrics", null, Map.of()).body();
    }
}
