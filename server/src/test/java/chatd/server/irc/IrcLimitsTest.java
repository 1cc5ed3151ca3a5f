package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.core.Passwords;
import chatd.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Timeouts and limits, on listeners built with small values next to the server's own gateway (the
 * production defaults are a minute or more).
 */
class IrcLimitsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("IRC_PORT", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static IrcListener listener(Duration registration, Duration ping, int perIp) {
        ConnectionClasses classes = new ConnectionClasses(ConnectionClass.parse("anonymous", "20/4/" + perIp),
                ConnectionClass.parse("account", "20/4/" + perIp), ConnectionClasses.DEFAULTS.exempt(), ExemptGrants.NONE);
        IrcOptions options = IrcOptions.defaults("127.0.0.1", 0, null, null, null)
                .withTimeouts(registration, ping).withClasses(classes);
        return new IrcListener(server.server().core(), new Passwords(4), address -> 0, options).start();
    }

    @Test
    void a_connection_that_never_registers_is_closed() {
        try (IrcListener l = listener(Duration.ofMillis(500), Duration.ofSeconds(60), 10);
                IrcTestClient c = IrcTestClient.connect(l.port())) {
            c.send("NICK slowpoke");
            List<String> lines = c.awaitClose(Duration.ofSeconds(5));
            assertThat(lines).containsExactly("ERROR :Closing Link: 127.0.0.1 (Registration timed out)");
        }
    }

    @Test
    void a_silent_client_is_pinged_then_dropped_and_its_session_ends() {
        try (IrcListener l = listener(Duration.ofSeconds(60), Duration.ofMillis(500), 10);
                IrcTestClient c = IrcTestClient.register(l.port(), "sleepy")) {
            assertThat(c.await("PING")).isEqualTo("PING test");
            c.send("PONG test");
            assertThat(c.await("PING")).isEqualTo("PING test");
            assertThat(c.await("ERROR")).isEqualTo("ERROR :Closing Link: 127.0.0.1 (Ping timeout: 1 seconds)");
            chatd.server.testing.Wait.until("sleepy's session to end", Duration.ofSeconds(5),
                    () -> server.server().core().state().sessionByNick("sleepy") == null);
        }
    }

    @Test
    void connections_per_address_are_limited() {
        try (IrcListener l = listener(Duration.ofSeconds(60), Duration.ofSeconds(60), 2);
                IrcTestClient a = IrcTestClient.connect(l.port()); IrcTestClient b = IrcTestClient.connect(l.port())) {
            a.send("PING :a");
            a.await("PONG");
            b.send("PING :b");
            b.await("PONG");
            try (IrcTestClient c = IrcTestClient.connect(l.port())) {
                assertThat(c.awaitClose(Duration.ofSeconds(5)))
                        .containsExactly("ERROR :Closing Link: Too many connections from 127.0.0.1");
            }
        }
    }

    @Test
    void away_notify_shows_away_changes_of_channel_neighbours_only_to_clients_that_asked() {
        int port = server.server().irc().port();
        try (IrcTestClient watcher = IrcTestClient.connect(port); IrcTestClient plain = IrcTestClient.register(port, "plainw");
                IrcTestClient goer = IrcTestClient.register(port, "goer")) {
            watcher.send("CAP REQ :away-notify").send("NICK watcher").send("USER w 0 * :w").send("CAP END");
            watcher.await(" 376 watcher ");
            for (IrcTestClient c : List.of(watcher, plain, goer)) {
                c.send("JOIN #awaytest");
                c.await(" 366 ");
            }
            goer.send("AWAY :gone fishing");
            assertThat(watcher.await("AWAY")).isEqualTo(":goer!goer@test AWAY :gone fishing");
            goer.send("AWAY");
            assertThat(watcher.await("AWAY")).isEqualTo(":goer!goer@test AWAY");
            plain.send("TIME");
            plain.await(" 391 ");
            assertThat(plain.received()).noneMatch(l -> l.contains("@test AWAY"));
        }
    }

    @Test
    void an_anonymous_flooder_that_hangs_up_is_gone_at_once_with_its_backlog_unread() {
        try (IrcListener l = listener(Duration.ofSeconds(60), Duration.ofSeconds(60), 10);
                IrcTestClient watcher = IrcTestClient.register(l.port(), "floodwatch")) {
            IrcTestClient flooder = IrcTestClient.register(l.port(), "flooder");
            for (IrcTestClient c : List.of(watcher, flooder)) {
                c.send("JOIN #floodtest");
                c.await(" 366 ");
            }
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                flood.append("PRIVMSG #floodtest :line ").append(i).append("\r\n");
            }
            flooder.send(flood.toString().strip());
            flooder.close(); // no QUIT: the socket just goes
            // 200 lines at 4 a second after a burst of 20 would take 45 s to play out.
            assertThat(watcher.await("quit", line -> line.contains(" QUIT "), Duration.ofSeconds(5)))
                    .startsWith(":flooder!flooder@test QUIT");
            assertThat(server.server().core().state().sessionByNick("flooder")).isNull();
            assertThat(watcher.received().stream().filter(line -> line.contains("PRIVMSG #floodtest")).count())
                    .isLessThan(40);
        }
    }
}
