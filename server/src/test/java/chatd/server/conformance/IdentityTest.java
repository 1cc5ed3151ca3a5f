package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.protocol.Hashcash;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions, accounts and clients over HTTP (SPEC §3, issue 2). */
class IdentityTest {

    @Test
    void a_new_session_gets_a_token_and_the_welcome_burst() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            ApiClient.Login login = alice.createSession("alice");
            assertThat(login.nick()).isEqualTo("alice");
            assertThat(login.token()).hasSizeGreaterThanOrEqualTo(22);
            Mailbox box = new Mailbox(alice);
            box.awaitNumeric("376");
            assertThat(box.received()).extracting(e -> e.command())
                    .containsSubsequence("001", "002", "003", "004", "005", "251", "252", "254", "255", "265", "266", "375", "372", "376");
            assertThat(alice.state().path("nick").asText()).isEqualTo("alice");
        }
    }

    @Test
    void duplicate_nick_is_409_and_bad_nick_is_400() {
        try (TestServer server = TestServer.start()) {
            server.client().createSession("alice");
            assertThatThrownBy(() -> server.client().createSession("ALICE"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.code()).isEqualTo("nick_in_use");
                    });
            for (String bad : new String[] {"9lives", "a b", "al@ce", "#chan", "x".repeat(33), ""}) {
                assertThatThrownBy(() -> server.client().createSession(bad))
                        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
            }
            ApiClient.Raw raw = server.client().raw("POST", "/api/v1/session", "{\"nick\":\"b@d\"}", Map.of());
            assertThat(raw.json().path("numeric").asText()).isEqualTo("432");
        }
    }

    @Test
    void login_adds_a_second_client_to_the_same_session() {
        try (TestServer server = TestServer.start()) {
            ApiClient phone = server.client();
            ApiClient.Login registered = phone.register("carol", "correct horse");
            ApiClient laptop = server.client();
            ApiClient.Login second = laptop.login("carol", "correct horse");
            assertThat(second.id()).isEqualTo(registered.id());
            assertThat(second.token()).isNotEqualTo(registered.token());
            assertThat(laptop.state().path("nick").asText()).isEqualTo("carol");
            assertThat(phone.state().path("id").asLong()).isEqualTo(registered.id());
        }
    }

    @Test
    void wrong_password_is_401_and_a_login_flood_is_429() {
        try (TestServer server = TestServer.start(Map.of("LOGIN_RATE_LIMIT", "3"))) {
            server.client().register("dave", "password-1");
            assertThatThrownBy(() -> server.client().login("dave", "password-2"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
            ApiException flood = null;
            for (int i = 0; i < 5 && flood == null; i++) {
                try {
                    server.client().login("dave", "password-2");
                } catch (ApiException e) {
                    if (e.status() == 429) {
                        flood = e;
                    }
                }
            }
            assertThat(flood).as("a 429 within 5 attempts").isNotNull();
            assertThat(flood.code()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(flood.retryAfter())).isPositive();
        }
    }

    @Test
    void hashcash_is_required_checked_and_spent_once() {
        try (TestServer server = TestServer.start(Map.of("HASHCASH_BITS", "12", "SERVER_NAME", "pow"))) {
            assertThat(server.client().server().path("hashcash_bits").asInt()).isEqualTo(12);
            assertThatThrownBy(() -> server.client().createSession("erin"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(402);
                        assertThat(e.code()).isEqualTo("hashcash_required");
                    });
            String wrongResource = Hashcash.mint(12, LocalDate.now(ZoneOffset.UTC), "elsewhere");
            assertThatThrownBy(() -> server.client().createSession("erin", wrongResource))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("hashcash_invalid"));
            String stamp = Hashcash.mint(12, LocalDate.now(ZoneOffset.UTC), "pow");
            assertThat(server.client().createSession("erin", stamp).nick()).isEqualTo("erin");
            assertThatThrownBy(() -> server.client().createSession("frank", stamp))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(402);
                        assertThat(e.code()).isEqualTo("hashcash_invalid");
                    });
        }
    }

    @Test
    void logout_makes_the_token_401_and_frees_an_anonymous_nick() {
        try (TestServer server = TestServer.start()) {
            ApiClient gina = server.client();
            gina.createSession("gina");
            gina.poll(0, 0, 100); // the long-poll route remembers a connection's token: it must forget it
            gina.logout();
            assertThatThrownBy(gina::state)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> gina.poll(0, 0, 100))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThat(server.client().createSession("gina").nick()).isEqualTo("gina");
        }
    }

    @Test
    void an_idle_client_expires_and_its_session_quits() {
        try (TestServer server = TestServer.start(Map.of("SESSION_IDLE_TIMEOUT", "2s"))) {
            ApiClient sleepy = server.client();
            sleepy.createSession("sleepy");
            sleepy.send("JOIN", "#nap");
            ApiClient awake = server.client();
            awake.createSession("awake");
            awake.send("JOIN", "#nap");
            Mailbox box = new Mailbox(awake);
            // awake keeps polling (each poll is activity); sleepy says nothing more.
            var quit = box.await("sleepy's QUIT", e -> e.command().equals("QUIT") && "sleepy".equals(e.from()),
                    java.time.Duration.ofSeconds(15));
            assertThat(quit.firstLine()).contains("Idle timeout");
            assertThatThrownBy(sleepy::state)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThat(server.client().createSession("sleepy").nick()).isEqualTo("sleepy");
        }
    }

    @Test
    void accounts_sessions_and_tokens_survive_a_restart() {
        try (TestServer server = TestServer.start()) {
            ApiClient anon = server.client();
            anon.createSession("henry");
            anon.send("JOIN", "#keep");
            ApiClient member = server.client();
            member.register("iris", "iris-password");
            server.restart();
            ApiClient anonAfter = new ApiClient(server.url()).token(anon.token());
            assertThat(anonAfter.state().path("nick").asText()).isEqualTo("henry");
            assertThat(anonAfter.state().path("channels").get(0).path("name").asText()).isEqualTo("#keep");
            assertThat(new ApiClient(server.url()).token(member.token()).state().path("nick").asText()).isEqualTo("iris");
            assertThat(server.client().login("iris", "iris-password").nick()).isEqualTo("iris");
            assertThatThrownBy(() -> server.client().createSession("henry"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        }
    }
}
