package chatd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator's view over HTTP (the page itself is tested in a browser by e2e/admin.test.mjs): the
 * overview needs the admin token and reports what the page shows; every metric the Grafana dashboard
 * queries is one the server exports.
 */
class OperatorViewTest {
    private static final Pattern METRIC = Pattern.compile("\\b((?:chatd|jvm)_[a-z_]+)");

    @Test
    void the_overview_needs_the_admin_token_and_reports_the_server() {
        try (TestServer server = TestServer.start(Map.of("ADMIN_TOKEN", "s3cret"))) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", "#ops");
            alice.send("PRIVMSG", "#ops", "hello");

            assertThat(server.client().raw("GET", "/api/v1/admin/overview", null, Map.of()).status()).isEqualTo(401);
            ApiClient.Raw wrong = server.client().token("guess").raw("GET", "/api/v1/admin/overview", null, Map.of());
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().path("code").asText()).isEqualTo("unauthorized");

            JsonNode o = server.client().token("s3cret").raw("GET", "/api/v1/admin/overview", null, Map.of()).json();
            assertThat(o.path("server").asText()).isEqualTo("test");
            assertThat(o.path("sessions").asInt()).isEqualTo(1);
            assertThat(o.path("clients").asInt()).isEqualTo(1);
            assertThat(o.path("messages").path("sent_total").asLong()).isEqualTo(2);
            assertThat(o.path("queues").path("entries").asLong()).as("alice has read nothing").isPositive();
            assertThat(o.path("database").path("ok").asBoolean()).isTrue();
            assertThat(o.path("federation").path("peers").isArray()).isTrue();
            assertThat(server.client().raw("GET", "/admin.html", null, Map.of()).body()).contains("admin.js");
        }
    }

    @Test
    void admin_is_off_without_a_token() {
        try (TestServer server = TestServer.start()) {
            ApiClient.Raw raw = server.client().token("anything").raw("GET", "/api/v1/admin/overview", null, Map.of());
            assertThat(raw.status()).isEqualTo(403);
            assertThat(raw.json().path("error").asText()).isEqualTo("admin endpoints are off (no ADMIN_TOKEN)");
        }
    }

    @Test
    void every_metric_of_the_grafana_dashboard_is_exported() throws IOException {
        String dashboard = Files.readString(Path.of("..", "docs", "grafana-dashboard.json"));
        Set<String> queried = METRIC.matcher(dashboard).results().map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.poll(0, 0, 100);
            // GC pause timers appear with the first collection (the server runs in this JVM).
            System.gc();
            assertThat(queried).isNotEmpty();
            Wait.until("a GC pause in /metrics", Duration.ofSeconds(10), () -> exported(server).contains("jvm_gc_pause_seconds_count"));
            assertThat(exported(server)).containsAll(queried);
        }
    }

    private static Set<String> exported(TestServer server) {
        String scrape = server.client().raw("GET", "/metrics", null, Map.of()).body();
        return scrape.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("[{ ].*", "")).collect(Collectors.toSet());
    }
}
