package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.StoreOutage;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines: many commands written at once, which the gateway submits without waiting for
 * each one's commit. What the client sees must be what it saw when each line waited for its commit: its
 * echoes and replies in command order, a {@code PING} answered after them, a label around exactly its
 * command's lines, and a command the store could not take answered with the same NOTICE.
 */
class IrcPipeliningTest {
    private static final String CAPS = "server-time message-tags batch labeled-response echo-message draft/chathistory";
    private static final int BURST = 200;
    private static TestServer server;
    private static int port;

    @BeforeAll
    static void start() {
        // exempt from fakelag, so a burst reaches the reader at once
        server = TestServer.start(Map.of("IRC_PORT", "0", "IRC_EXEMPT", "127.0.0.0/8"));
        port = server.server().irc().port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static IrcTestClient withCaps(String nick, String caps) {
        IrcTestClient c = IrcTestClient.connect(port);
        c.send("CAP LS 302").send("CAP REQ :" + caps).send("CAP END").send("NICK " + nick).send("USER " + nick + " 0 * :" + nick);
        c.await(" 376 " + nick + " ");
        return c;
    }

    private static void join(String channel, IrcTestClient... clients) {
        for (IrcTestClient c : clients) {
            c.send("JOIN " + channel);
            c.await(" 366 ");
        }
    }

    private static List<String> privmsgs(String target, String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "PRIVMSG " + target + " :" + prefix + i).toList();
    }

    /** The texts of the PRIVMSG lines to {@code target} among {@code lines}, in order. */
    private static List<String> texts(List<String> lines, String target) {
        String marker = " PRIVMSG " + target + " :";
        return lines.stream().filter(l -> l.contains(marker)).map(l -> l.substring(l.indexOf(marker) + marker.length())).toList();
    }

    private static List<String> expected(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void a_burst_then_ping_gets_every_echo_in_order_before_the_pong_and_the_receiver_gets_all_in_order() {
        try (IrcTestClient alice = withCaps("pipe1", "echo-message"); IrcTestClient bob = IrcTestClient.register(port, "pipe1b")) {
            join("#pipe1", alice, bob);
            List<String> burst = new ArrayList<>(privmsgs("#pipe1", "m", BURST));
            burst.add("PING :barrier");
            alice.sendAll(burst);

            alice.await("PONG");
            List<String> beforePong = alice.received().subList(0, alice.received().indexOf(":test PONG test :barrier"));
            assertThat(texts(beforePong, "#pipe1")).as("every echo, in order, before the PONG").isEqualTo(expected("m", BURST));

            bob.await("PRIVMSG #pipe1 :m" + (BURST - 1));
            assertThat(texts(bob.received(), "#pipe1")).isEqualTo(expected("m", BURST));
        }
    }

    @Test
    void replies_of_pipelined_commands_keep_command_order_with_the_readers_own() {
        try (IrcTestClient alice = IrcTestClient.register(port, "pipe2")) {
            int start = alice.received().size();
            alice.sendAll(List.of("JOIN #pipe2", "PRIVMSG #nowhere2 :lost", "TOPIC #pipe2 :first", "PING :one",
                    "MODE #pipe2 +m", "PRIVMSG nobody2 :hi", "PING :two"));
            alice.await("PONG test :two");
            List<String> verbs = alice.received().subList(start, alice.received().size()).stream().map(l -> l.split(" ")[1]).toList();
            assertThat(verbs).containsExactly("JOIN", "353", "366", "403", "TOPIC", "PONG", "MODE", "401", "PONG");
        }
    }

    @Test
    void a_labeled_command_amid_a_burst_gets_exactly_its_echo_labeled() {
        try (IrcTestClient alice = withCaps("pipe3", CAPS); IrcTestClient bob = IrcTestClient.register(port, "pipe3b")) {
            join("#pipe3", alice, bob);
            List<String> burst = new ArrayList<>(privmsgs("#pipe3", "a", 50));
            burst.add("@label=lab1 PRIVMSG #pipe3 :labeled");
            burst.addAll(privmsgs("#pipe3", "b", 50));
            burst.add("PING :end");
            alice.sendAll(burst);

            alice.await("PONG");
            List<String> lines = alice.received();
            List<String> labeled = lines.stream().filter(l -> l.contains("label=")).toList();
            assertThat(labeled).hasSize(1);
            assertThat(labeled.getFirst()).startsWith("@label=lab1;").endsWith(" :pipe3!pipe3@test PRIVMSG #pipe3 :labeled");
            List<String> order = new ArrayList<>(expected("a", 50));
            order.add("labeled");
            order.addAll(expected("b", 50));
            assertThat(texts(lines, "#pipe3")).isEqualTo(order);
            bob.await("PRIVMSG #pipe3 :b49");
            assertThat(texts(bob.received(), "#pipe3")).isEqualTo(order);
        }
    }

    @Test
    void chathistory_after_a_burst_finds_every_message_of_it() {
        try (IrcTestClient alice = withCaps("pipe4", CAPS)) {
            join("#pipe4", alice);
            List<String> burst = new ArrayList<>(privmsgs("#pipe4", "h", 30));
            burst.add("CHATHISTORY LATEST #pipe4 * 100");
            alice.sendAll(burst);
            alice.await("BATCH +");
            List<String> history = new ArrayList<>();
            for (String line = alice.await("a history line", l -> l.contains("PRIVMSG") || l.contains("BATCH -"));
                    !line.contains("BATCH -");
                    line = alice.await("a history line", l -> l.contains("PRIVMSG") || l.contains("BATCH -"))) {
                history.add(line.substring(line.lastIndexOf(" :") + 2));
            }
            assertThat(history).isEqualTo(expected("h", 30));
        }
    }

    @Test
    void a_burst_then_quit_is_delivered_whole_and_a_dropped_connection_in_order_before_its_quit() {
        try (IrcTestClient bob = IrcTestClient.register(port, "pipe5b"); IrcTestClient alice = withCaps("pipe5", "echo-message");
                IrcTestClient carol = IrcTestClient.register(port, "pipe5c")) {
            join("#pipe5", bob, alice, carol);

            List<String> burst = new ArrayList<>(privmsgs("#pipe5", "q", 100));
            burst.add("QUIT :bye");
            alice.sendAll(burst);
            List<String> aliceLines = alice.awaitClose(Duration.ofSeconds(10));
            assertThat(aliceLines.getLast()).startsWith("ERROR :Closing Link:");
            assertThat(texts(aliceLines, "#pipe5")).as("the echoes before the ERROR").isEqualTo(expected("q", 100));

            carol.sendAll(privmsgs("#pipe5", "c", 100));
            carol.close(); // no QUIT: the connection drops right after the burst

            String carolQuit = bob.await(":pipe5c!pipe5c@test QUIT");
            List<String> seen = bob.received();
            int aliceQuit = seen.indexOf(":pipe5!pipe5@test QUIT :Quit: bye");
            assertThat(aliceQuit).as("alice's QUIT").isPositive();
            assertThat(texts(seen.subList(0, aliceQuit), "#pipe5")).isEqualTo(expected("q", 100));
            // A dropped connection's unread lines are discarded (its hang-up is seen at once, so a flooder's backlog
            // is not played out after it left): what was read arrives whole and in order, all before the QUIT.
            List<String> carols = texts(seen, "#pipe5").stream().filter(t -> t.startsWith("c")).toList();
            assertThat(carols).as("carol's burst, in order, a prefix of what she sent").isEqualTo(expected("c", carols.size()));
            assertThat(texts(seen.subList(aliceQuit, seen.indexOf(carolQuit)), "#pipe5")).as("carol's lines, all before her QUIT")
                    .isEqualTo(carols);
        }
    }

    @Test
    void pipelined_commands_the_store_cannot_take_are_each_answered_as_before_and_the_connection_stays() throws Exception {
        try (IrcTestClient alice = IrcTestClient.register(port, "pipe6"); IrcTestClient bob = IrcTestClient.register(port, "pipe6b")) {
            join("#pipe6", alice, bob);
            List<String> notices;
            try (StoreOutage outage = StoreOutage.begin(server.dbUrl())) {
                alice.sendAll(List.of("PRIVMSG #pipe6 :x0", "PRIVMSG #pipe6 :x1", "PRIVMSG #pipe6 :x2", "PING :after"));
                alice.await("the PONG", l -> l.contains("PONG"), Duration.ofSeconds(30));
                notices = alice.received().stream().filter(l -> l.startsWith(":test NOTICE pipe6 :")).toList();
                assertThat(notices).as("one store NOTICE per message, all before the PONG").hasSize(3)
                        .allMatch(l -> l.contains("store"));
                assertThat(alice.received().getLast()).isEqualTo(":test PONG test :after");

                Wait.until("the store reported down", Duration.ofSeconds(30),
                        () -> server.server().core().storeUnavailableReason() != null);
                alice.sendAll(List.of("PRIVMSG #pipe6 :refused", "PING :still-here"));
                assertThat(alice.await("a NOTICE", l -> l.contains(" NOTICE "))).contains("nothing was applied");
                assertThat(alice.await("PONG")).contains("still-here");
            }
            Wait.until("the store back", Duration.ofSeconds(30), () -> server.server().core().storeUnavailableReason() == null);
            alice.send("PRIVMSG #pipe6 :after");
            bob.await("PRIVMSG #pipe6 :after");
            long held = notices.stream().filter(l -> l.contains("not committed yet")).count();
            assertThat(texts(bob.received(), "#pipe6")).as("what was held is delivered once the store is back, then 'after';"
                    + " what was refused never").hasSize((int) held + 1).endsWith("after").doesNotContain("refused");
        }
    }
}
