package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Connection classes as an operator configures them (IRC_CLASS_*, IRC_EXEMPT), through a server started
 * from those settings and real IRC sockets. Flood control is observed as a client would: a burst of PINGs
 * and how long their PONGs take. Bounds are generous: a fakelagged burst cannot finish sooner than its
 * class's rate allows, and an unlimited one finishes far sooner than that.
 */
class IrcConnectionClassesTest {
    private static final String PASSWORD = "correct horse";

    /** Sends {@code n} PINGs in one write; answers how long until the last PONG came back. */
    private static Duration flood(IrcTestClient c, int n, Duration timeout) {
        String pings = IntStream.range(0, n).mapToObj(i -> "PING :x" + i).collect(Collectors.joining("\r\n"));
        long t0 = System.nanoTime();
        c.send(pings);
        c.await("the PONG of the last PING", line -> line.endsWith(" :x" + (n - 1)), timeout);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static IrcTestClient logIn(int port, String account) {
        IrcTestClient c = IrcTestClient.connect(port);
        c.send("PASS :" + account + ":" + PASSWORD).send("NICK " + account).send("USER " + account + " 0 * :x");
        c.await(" 376 " + account + " ");
        return c;
    }

    private static void awaitNoConnections(TestServer server) {
        Wait.until("earlier connections to be gone", Duration.ofSeconds(10), () -> server.server().irc().connectionCount() == 0);
    }

    /** One server started with the nested class's settings, shared by its tests. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class WithServer {
        TestServer server;
        int port;

        abstract Map<String, String> settings();

        @BeforeAll
        void start() {
            server = TestServer.start(settings());
            port = server.server().irc().port();
        }

        @AfterAll
        void stop() {
            server.close();
        }

        /** Each test counts connections per address from zero: the previous test's sockets are closed server-side. */
        @BeforeEach
        void earlierConnectionsGone() {
            awaitNoConnections(server);
        }
    }

    /** Anonymous 3 lines then 10/s, 2 per address; accounts 100 then 10/s, 3 per address; the account relaybot exempt. */
    @Nested
    class ByAccount extends WithServer {
        @Override
        Map<String, String> settings() {
            return Map.of("IRC_PORT", "0", "IRC_CLASS_ANONYMOUS", "3/10/2", "IRC_CLASS_ACCOUNT", "100/10/3", "IRC_EXEMPT", "relaybot");
        }

        @BeforeAll
        void registerAccounts() {
            for (String account : List.of("plainacct", "relaybot")) {
                server.client().register(account, PASSWORD);
            }
        }

        @Test
        void an_anonymous_client_is_fakelagged_at_its_class_rate_and_not_disconnected() {
            try (IrcTestClient anon = IrcTestClient.register(port, "flooder1")) {
                // NICK and USER took 2 of the burst of 3: at least 58 of the 60 lines wait for the 10/s refill.
                Duration took = flood(anon, 60, Duration.ofSeconds(30));
                assertThat(took).isGreaterThan(Duration.ofMillis(4500));
                anon.send("PING :still-here");
                anon.await(" :still-here");
            }
        }

        @Test
        void an_account_has_its_own_larger_burst() {
            try (IrcTestClient anon = IrcTestClient.register(port, "flooder2"); IrcTestClient account = logIn(port, "plainacct")) {
                CompletableFuture<Duration> anonymous = CompletableFuture.supplyAsync(() -> flood(anon, 60, Duration.ofSeconds(30)));
                Duration accountTook = flood(account, 60, Duration.ofSeconds(30));
                assertThat(anonymous).as("the anonymous flood is still being played out").isNotDone();
                assertThat(anonymous.join()).isGreaterThan(Duration.ofMillis(4500));
                assertThat(accountTook).isLessThan(Duration.ofMillis(4500));
            }
        }

        @Test
        void a_nick_refused_at_registration_does_not_keep_a_place_in_the_class() {
            try (IrcTestClient holder = IrcTestClient.register(port, "heldnick"); IrcTestClient c = IrcTestClient.connect(port)) {
                c.send("NICK heldnick").send("USER late 0 * :x");
                assertThat(c.await(" 433 ")).isEqualTo(":test 433 * heldnick :Nickname is already in use");
                // c is unregistered again: the anonymous class (2 per address) has room for one more besides holder
                try (IrcTestClient other = IrcTestClient.register(port, "othernick")) {
                    other.send("PING :ok");
                    other.await(" :ok");
                }
            }
        }

        @Test
        void an_exempt_account_is_not_fakelagged() {
            try (IrcTestClient bot = logIn(port, "relaybot")) {
                // Past the account class's burst of 100, 200 more lines would take 20 s at its 10/s.
                assertThat(flood(bot, 300, Duration.ofSeconds(30))).isLessThan(Duration.ofSeconds(10));
            }
        }

        @Test
        void each_class_has_its_own_connections_per_address() {
            List<IrcTestClient> open = new ArrayList<>();
            try {
                open.add(IrcTestClient.register(port, "anon1"));
                open.add(IrcTestClient.register(port, "anon2"));
                try (IrcTestClient third = IrcTestClient.connect(port)) {
                    third.send("NICK anon3").send("USER anon3 0 * :x");
                    assertThat(third.awaitClose(Duration.ofSeconds(10))).containsExactly(
                            "ERROR :Closing Link: 127.0.0.1 (Too many connections from 127.0.0.1 in class anonymous)");
                }
                Wait.until("the refused connection to be gone", Duration.ofSeconds(10),
                        () -> server.server().irc().connectionCount() == 2);
                open.add(logIn(port, "plainacct")); // the account class has room of its own
                try (IrcTestClient fourth = IrcTestClient.connect(port)) {
                    // 3 connections that are not exempt: the most either class allows one address
                    assertThat(fourth.awaitClose(Duration.ofSeconds(10)))
                            .containsExactly("ERROR :Closing Link: Too many connections from 127.0.0.1");
                }
                assertThat(server.server().core().state().sessionByNick("anon3")).isNull();
            } finally {
                open.forEach(IrcTestClient::close);
            }
        }
    }

    /** 127.0.0.1 exempt: every test connection is, with at most 4 of them, and logins past LOGIN_RATE_LIMIT. */
    @Nested
    class ByAddress extends WithServer {
        @Override
        Map<String, String> settings() {
            return Map.of("IRC_PORT", "0", "IRC_CLASS_ANONYMOUS", "3/10/2", "IRC_CLASS_EXEMPT", "none/none/4",
                    "IRC_EXEMPT", "10.9.0.0/16, 127.0.0.0/8", "LOGIN_RATE_LIMIT", "2");
        }

        @Test
        void an_anonymous_client_from_an_exempt_address_is_not_fakelagged() {
            try (IrcTestClient c = IrcTestClient.register(port, "bridge1")) {
                // at the anonymous class's 10/s these would take 30 s
                assertThat(flood(c, 300, Duration.ofSeconds(30))).isLessThan(Duration.ofSeconds(10));
            }
        }

        @Test
        void the_exempt_class_has_its_own_connections_per_address() {
            List<IrcTestClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    open.add(IrcTestClient.register(port, "bridge" + (10 + i)));
                }
                try (IrcTestClient fifth = IrcTestClient.connect(port)) {
                    assertThat(fifth.awaitClose(Duration.ofSeconds(10)))
                            .containsExactly("ERROR :Closing Link: Too many connections from 127.0.0.1");
                }
            } finally {
                open.forEach(IrcTestClient::close);
            }
        }

        @Test
        void an_exempt_address_is_not_held_to_the_login_rate_limit_over_http() {
            server.client().register("bridgeacct", PASSWORD);
            for (int i = 0; i < 5; i++) {
                assertThat(server.client().login("bridgeacct", PASSWORD).token()).isNotBlank();
            }
        }
    }
}
