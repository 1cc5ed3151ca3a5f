package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Account connections: an IRC connection is one more device of the account's session, next to HTTP
 * clients; it survives drops and resumes its cursor.
 */
class IrcAccountTest {
    private static final String PASSWORD = "correct horse";
    private static TestServer server;
    private static int port;

    @BeforeAll
    static void start() {
        // Many logins from one address in this class: the login limit is tested on its own server below.
        server = TestServer.start(Map.of("IRC_PORT", "0", "LOGIN_RATE_LIMIT", "1000"));
        port = server.server().irc().port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Registers with SASL PLAIN as {@code login} (e.g. {@code alice/laptop}) and waits for the MOTD end. */
    private static IrcTestClient sasl(String login, String nick, String caps) {
        IrcTestClient c = IrcTestClient.connect(port);
        c.send("CAP LS 302").send("NICK " + nick).send("USER " + nick + " 0 * :" + nick);
        c.await("CAP * LS");
        c.send("CAP REQ :sasl" + (caps.isEmpty() ? "" : " " + caps));
        c.await("ACK");
        c.send("AUTHENTICATE PLAIN");
        c.await("AUTHENTICATE +");
        String payload = Base64.getEncoder().encodeToString(("\0" + login + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        c.send("AUTHENTICATE " + payload);
        c.await(" 903 ");
        c.send("CAP END");
        c.await(" 376 ");
        return c;
    }

    private static long count(List<String> lines, String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }

    private static long count(Mailbox box, String text) {
        return box.received().stream().filter(e -> e.command().equals("PRIVMSG") && e.bodyLines().contains(text)).count();
    }

    @Test
    void sasl_login_reports_the_account_and_joins_the_sessions_channels() {
        ApiClient http = server.client();
        http.register("saslu", PASSWORD);
        http.send(Envelope.of("JOIN", null, "#saslroom", List.of(), null));
        http.send(Envelope.of("TOPIC", null, "#saslroom", List.of(), List.of("our topic")));
        try (IrcTestClient c = IrcTestClient.connect(port)) {
            c.send("CAP LS").send("NICK whatever").send("USER saslu 0 * :x").send("CAP REQ :sasl").send("AUTHENTICATE PLAIN");
            c.await("AUTHENTICATE +");
            c.send("AUTHENTICATE " + Base64.getEncoder().encodeToString(("\0saslu\0wrong password").getBytes(StandardCharsets.UTF_8)));
            assertThat(c.await(" 904 ")).isEqualTo(":test 904 * :SASL authentication failed");
            c.send("AUTHENTICATE PLAIN");
            c.await("AUTHENTICATE +");
            c.send("AUTHENTICATE " + Base64.getEncoder().encodeToString(("\0saslu/desk\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            assertThat(c.await(" 900 ")).isEqualTo(":test 900 * saslu!saslu@test saslu :You are now logged in as saslu");
            assertThat(c.await(" 903 ")).isEqualTo(":test 903 * :SASL authentication successful");
            c.send("CAP END");
            assertThat(c.await(" 001 ")).isEqualTo(":test 001 saslu :Welcome to the chatd network, saslu");
            assertThat(c.await(" JOIN ")).isEqualTo(":saslu!saslu@test JOIN #saslroom");
            assertThat(c.await(" 332 ")).isEqualTo(":test 332 saslu #saslroom :our topic");
            assertThat(c.await(" 333 ")).matches(":test 333 saslu #saslroom saslu \\d+");
            assertThat(c.await(" 353 ")).isEqualTo(":test 353 saslu = #saslroom :@saslu");
            assertThat(c.await(" 366 ")).isEqualTo(":test 366 saslu #saslroom :End of /NAMES list.");
        }
    }

    @Test
    void irc_pass_and_sasl_guesses_count_against_the_login_limit_shared_with_http() {
        try (TestServer limited = TestServer.start(Map.of("IRC_PORT", "0", "LOGIN_RATE_LIMIT", "4"))) {
            int limitedPort = limited.server().irc().port();
            limited.client().register("guessed", PASSWORD); // counted too, as over HTTP: 3 attempts left
            for (int i = 0; i < 2; i++) {
                try (IrcTestClient c = IrcTestClient.connect(limitedPort)) {
                    assertThat(saslAttempt(c, "guessed", "wrong-" + i)).endsWith(":SASL authentication failed");
                }
            }
            try (IrcTestClient c = IrcTestClient.connect(limitedPort)) {
                c.send("PASS guessed:wrong-2").send("NICK guessed").send("USER guessed 0 * :x");
                assertThat(c.await(" 464 ")).isEqualTo(":test 464 * :Password incorrect");
            }
            // The last three spent over IRC: the right password is now refused on both sides.
            try (IrcTestClient c = IrcTestClient.connect(limitedPort)) {
                assertThat(saslAttempt(c, "guessed", PASSWORD)).matches(
                        ".* 904 \\* :SASL authentication failed: too many login attempts, retry in \\d+ s");
            }
            try (IrcTestClient c = IrcTestClient.connect(limitedPort)) {
                c.send("PASS guessed:" + PASSWORD).send("NICK guessed").send("USER guessed 0 * :x");
                assertThat(c.await(" 464 ")).matches(":test 464 \\* :Too many login attempts, retry in \\d+ s");
            }
            ApiException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> limited.client().login("guessed", PASSWORD), ApiException.class);
            assertThat(refused.status()).isEqualTo(429);
        }
    }

    /** One SASL PLAIN exchange; answers the 90x line that ends it. */
    private static String saslAttempt(IrcTestClient c, String login, String password) {
        c.send("CAP LS 302").send("NICK " + login).send("USER " + login + " 0 * :x");
        c.await("CAP * LS");
        c.send("CAP REQ :sasl");
        c.await("ACK");
        c.send("AUTHENTICATE PLAIN");
        c.await("AUTHENTICATE +");
        c.send("AUTHENTICATE " + Base64.getEncoder().encodeToString(
                ("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8)));
        return c.await(" 90");
    }

    @Test
    void account_tag_names_the_account_of_a_logged_in_sender_only() {
        ApiClient registration = server.client();
        registration.register("tagged", PASSWORD);
        Mailbox account = new Mailbox(registration);
        account.api().send(Envelope.of("JOIN", null, "#tags", List.of(), null));
        Mailbox anonymous = new Mailbox(server.client());
        anonymous.api().createSession("untagged");
        anonymous.api().send(Envelope.of("JOIN", null, "#tags", List.of(), null));
        try (IrcTestClient watcher = IrcTestClient.connect(port)) {
            watcher.send("CAP REQ :account-tag").send("NICK tagwatch").send("USER t 0 * :t").send("CAP END");
            watcher.await(" 376 tagwatch ");
            watcher.send("JOIN #tags");
            watcher.await(" 366 ");
            account.api().privmsg("#tags", "from an account");
            assertThat(watcher.await("from an account")).isEqualTo("@account=tagged :tagged!tagged@test PRIVMSG #tags :from an account");
            anonymous.api().privmsg("#tags", "from nobody");
            assertThat(watcher.await("from nobody")).isEqualTo(":untagged!untagged@test PRIVMSG #tags :from nobody");
        }
    }

    @Test
    void a_wrong_pass_is_refused_with_464() {
        server.client().register("passu", PASSWORD);
        try (IrcTestClient c = IrcTestClient.connect(port)) {
            c.send("PASS passu:nope-nope").send("NICK passu").send("USER passu 0 * :x");
            assertThat(c.await(" 464 ")).isEqualTo(":test 464 * :Password incorrect");
            assertThat(c.await("ERROR")).isEqualTo("ERROR :Closing Link: 127.0.0.1 (Bad password)");
            c.awaitClose(Duration.ofSeconds(5));
        }
    }

    @Test
    void an_irc_device_and_an_http_client_of_one_account_see_every_message_exactly_once() {
        ApiClient registration = server.client();
        registration.register("mixu", PASSWORD);
        registration.logout();
        Mailbox http = new Mailbox(server.client());
        http.api().login("mixu", PASSWORD);
        http.api().send(Envelope.of("JOIN", null, "#mix", List.of(), null));
        Mailbox bob = new Mailbox(server.client());
        bob.api().createSession("mixbob");
        bob.api().send(Envelope.of("JOIN", null, "#mix", List.of(), null));
        try (IrcTestClient irc = sasl("mixu/laptop", "mixu", "")) {
            irc.await(":mixu!mixu@test JOIN #mix");
            irc.await(" 366 ");

            bob.api().privmsg("#mix", "from bob");
            irc.await("PRIVMSG #mix :from bob");
            http.await("bob's line", Mailbox.text("from bob"));

            irc.send("PRIVMSG #mix :from irc");
            http.await("the irc line", Mailbox.text("from irc"));
            bob.await("the irc line", Mailbox.text("from irc"));

            http.api().privmsg("#mix", "from http");
            assertThat(irc.await("PRIVMSG #mix :from http")).isEqualTo(":mixu!mixu@test PRIVMSG #mix :from http");
            bob.await("the http line", Mailbox.text("from http"));

            bob.api().privmsg("mixu", "private to mixu");
            assertThat(irc.await("private to mixu")).isEqualTo(":mixbob!mixbob@test PRIVMSG mixu :private to mixu");
            http.await("the DM", Mailbox.text("private to mixu"));

            irc.send("TIME");
            irc.await(" 391 ");
            List<String> lines = irc.received();
            assertThat(count(lines, ":from bob")).isEqualTo(1);
            assertThat(count(lines, ":from irc")).isZero(); // its own line is not echoed without echo-message
            assertThat(count(lines, ":from http")).isEqualTo(1);
            assertThat(count(lines, ":private to mixu")).isEqualTo(1);
            http.drain();
            bob.drain();
            for (String text : List.of("from bob", "from irc", "from http")) {
                assertThat(count(http, text)).as("HTTP client sees '%s' once", text).isEqualTo(1);
                assertThat(count(bob, text)).as("bob sees '%s' once", text).isEqualTo(1);
            }
        }
    }

    @Test
    void a_dropped_device_keeps_the_session_and_replays_what_it_missed_with_server_time() {
        ApiClient registration = server.client();
        registration.register("resu", PASSWORD);
        registration.logout(); // the IRC device will be the session's only client
        Mailbox bob = new Mailbox(server.client());
        bob.api().createSession("resbob");
        bob.api().send(Envelope.of("JOIN", null, "#resume", List.of(), null));

        IrcTestClient first = sasl("resu/laptop", "resu", "server-time");
        first.send("JOIN #resume");
        first.await(" 366 ");
        bob.api().privmsg("#resume", "seen live");
        first.await(":seen live");
        first.close(); // dropped: no QUIT

        Wait.until("the dropped connection to be gone", Duration.ofSeconds(5),
                () -> !server.server().irc().serves(server.server().core().state().sessionByNick("resu")));
        bob.api().privmsg("#resume", "missed one");
        bob.api().privmsg("#resume", "missed two");

        try (IrcTestClient again = IrcTestClient.connect(port)) {
            again.send("CAP LS 302").send("CAP REQ :server-time").send("PASS :resu/laptop:" + PASSWORD)
                    .send("NICK resu").send("USER resu 0 * :x").send("CAP END");
            again.await(" 001 resu ");
            assertThat(again.await(" JOIN ")).matches("@time=\\S+ :resu!resu@test JOIN #resume");
            again.await(" 366 ");
            String one = again.await("PRIVMSG");
            String two = again.await("PRIVMSG");
            assertThat(one).matches("@time=\\S+ :resbob!resbob@test PRIVMSG #resume :missed one");
            assertThat(two).matches("@time=\\S+ :resbob!resbob@test PRIVMSG #resume :missed two");
            assertThat(again.received()).noneMatch(l -> l.contains("seen live"));
        }
        bob.drain();
        assertThat(bob.received()).noneMatch(e -> e.command().equals("QUIT"));
    }
}
