package chatd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The browser client's files as a browser fetches them from a running server (the pages run in e2e/). */
class WebFilesTest {

    @Test
    void the_web_client_is_served_with_its_types() {
        try (TestServer server = TestServer.start()) {
            ApiClient.Raw index = get(server, "/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.headers().get("content-type")).containsExactly("text/html;charset=utf-8");
            assertThat(index.body()).contains("app.js");
            assertThat(get(server, "/index.html").body()).isEqualTo(index.body());

            ApiClient.Raw script = get(server, "/app.js");
            assertThat(script.headers().get("content-type")).containsExactly("text/javascript;charset=utf-8");
            assertThat(get(server, "/style.css").headers().get("content-type")).containsExactly("text/css;charset=utf-8");
            assertThat(get(server, "/vendor/tweetnacl-1.0.3/nacl-fast.min.js").status()).isEqualTo(200);
            assertThat(get(server, "/app.js").body()).as("served again from memory").isEqualTo(script.body());
        }
    }

    @Test
    void what_is_not_a_file_of_the_client_is_a_json_404() {
        try (TestServer server = TestServer.start()) {
            for (String path : List.of("/nope.js", "/vendor/", "/vendor", "/%2e%2e/pom.xml", "/chatd/server/Main.class")) {
                ApiClient.Raw raw = get(server, path);
                assertThat(raw.status()).as(path).isIn(400, 404);
                assertThat(raw.body()).as(path).doesNotContain("<html");
            }
            assertThat(get(server, "/nope.js").json().path("code").asText()).isEqualTo("not_found");
        }
    }

    private static ApiClient.Raw get(TestServer server, String path) {
        return server.client().raw("GET", path, null, Map.of());
    }
}
