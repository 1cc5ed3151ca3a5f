package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.StoreOutage;
import chatd.server.testing.TestDatabases;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IRCv3 draft/chathistory through the gateway's socket: every subcommand, the batches and their tags,
 * access (channel members, the two parties of a DM), bad parameters and labeled-response.
 */
class IrcChatHistoryTest {
    private static final String CAPS = "server-time message-tags batch labeled-response echo-message draft/chathistory";
    private static final Pattern MSGID = Pattern.compile("msgid=([^; ]+)");
    private static TestServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("IRC_PORT", "0"));
        port = server.server().irc().port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static IrcTestClient withCaps(String nick) {
        IrcTestClient c = IrcTestClient.connect(port);
        c.send("CAP LS 302").send("CAP REQ :" + CAPS).send("CAP END").send("NICK " + nick).send("USER " + nick + " 0 * :" + nick);
        c.await(" 376 " + nick + " ");
        return c;
    }

    /** Sends the lines as PRIVMSGs and answers the msgids of their echoes, in order. */
    private static List<String> say(IrcTestClient c, String target, int count, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            c.send("PRIVMSG " + target + " :" + prefix + i);
            ids.add(msgid(c.await("PRIVMSG " + target + " :" + prefix + i)));
        }
        return ids;
    }

    private static String msgid(String line) {
        Matcher m = MSGID.matcher(line);
        assertThat(m.find()).as("a msgid tag in " + line).isTrue();
        return m.group(1);
    }

    /** Sends a command and answers the texts of the PRIVMSGs in the chathistory batch that answers it. */
    private static List<String> history(IrcTestClient c, String command) {
        c.send(command);
        List<String> block = c.awaitBlock("BATCH +", "BATCH -");
        String open = block.getFirst();
        String id = open.replaceFirst(".*BATCH \\+(\\S+) .*", "$1");
        assertThat(block.getLast()).endsWith("BATCH -" + id);
        List<String> texts = new ArrayList<>();
        for (String line : block.subList(1, block.size() - 1)) {
            assertThat(line).startsWith("@batch=" + id + ";time=").contains(";msgid=");
            texts.add(line.substring(line.lastIndexOf(" :") + 2));
        }
        return texts;
    }

    @Test
    void every_subcommand_answers_a_batch_of_the_right_messages_with_their_tags() {
        try (IrcTestClient alice = withCaps("hist1")) {
            alice.send("JOIN #hist1");
            alice.await(" 366 ");
            alice.send("TOPIC #hist1 :not a message");
            alice.await("TOPIC #hist1");
            List<String> ids = say(alice, "#hist1", 10, "m");

            alice.send("CHATHISTORY LATEST #hist1 * 3");
            String open = alice.await("BATCH +");
            assertThat(open).matches(":test BATCH \\+\\S+ chathistory #hist1");
            String first = alice.await("PRIVMSG");
            assertThat(first).matches("@batch=\\S+;time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z;msgid=" + ids.get(7)
                    + " :hist1!hist1@test PRIVMSG #hist1 :m7");
            alice.await("BATCH -");

            assertThat(history(alice, "CHATHISTORY LATEST #hist1 * 100")).as("messages only, no TOPIC or JOIN")
                    .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(history(alice, "CHATHISTORY LATEST #hist1 msgid=" + ids.get(6) + " 100")).containsExactly("m7", "m8", "m9");
            assertThat(history(alice, "CHATHISTORY BEFORE #hist1 msgid=" + ids.get(6) + " 2")).containsExactly("m4", "m5");
            assertThat(history(alice, "CHATHISTORY AFTER #hist1 msgid=" + ids.get(3) + " 3")).containsExactly("m4", "m5", "m6");
            assertThat(history(alice, "CHATHISTORY AROUND #hist1 msgid=" + ids.get(7) + " 1")).containsExactly("m7");
            assertThat(history(alice, "CHATHISTORY AROUND #hist1 msgid=" + ids.get(7) + " 3")).containsExactly("m6", "m7", "m8");
            assertThat(history(alice, "CHATHISTORY BETWEEN #hist1 msgid=" + ids.get(0) + " msgid=" + ids.get(9) + " 100"))
                    .containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8");
            assertThat(history(alice, "CHATHISTORY BETWEEN #hist1 msgid=" + ids.get(0) + " msgid=" + ids.get(9) + " 2"))
                    .as("counted from the first reference").containsExactly("m1", "m2");
            assertThat(history(alice, "CHATHISTORY BETWEEN #hist1 msgid=" + ids.get(9) + " msgid=" + ids.get(0) + " 2"))
                    .as("backwards: counted from the first reference, still oldest first").containsExactly("m7", "m8");
            assertThat(history(alice, "CHATHISTORY BEFORE #hist1 timestamp=2999-01-01T00:00:00.000Z 2")).containsExactly("m8", "m9");
            assertThat(history(alice, "CHATHISTORY AFTER #hist1 timestamp=2000-01-01T00:00:00.000Z 2")).containsExactly("m0", "m1");
            assertThat(history(alice, "CHATHISTORY BETWEEN #hist1 timestamp=2000-01-01T00:00:00Z timestamp=2999-01-01T00:00:00Z 1"))
                    .containsExactly("m0");
            assertThat(history(alice, "CHATHISTORY AFTER #hist1 msgid=no-such-message 10")).as("an unknown msgid").isEmpty();
        }
    }

    @Test
    void a_labeled_request_gets_its_batch_nested_in_the_labeled_response() {
        try (IrcTestClient alice = withCaps("hist2")) {
            alice.send("JOIN #hist2");
            alice.await(" 366 ");
            say(alice, "#hist2", 2, "n");
            alice.send("@label=q1 CHATHISTORY LATEST #hist2 * 10");
            String outer = alice.await("BATCH +");
            assertThat(outer).matches("@label=q1 :test BATCH \\+(\\S+) labeled-response");
            String outerId = outer.replaceFirst(".*BATCH \\+(\\S+) .*", "$1");
            String inner = alice.await("BATCH +");
            assertThat(inner).matches("@batch=" + outerId + " :test BATCH \\+\\S+ chathistory #hist2");
            String innerId = inner.replaceFirst(".*BATCH \\+(\\S+) .*", "$1");
            assertThat(alice.await("PRIVMSG")).startsWith("@batch=" + innerId + ";").endsWith("PRIVMSG #hist2 :n0");
            assertThat(alice.await("PRIVMSG")).startsWith("@batch=" + innerId + ";").endsWith("PRIVMSG #hist2 :n1");
            assertThat(alice.await("BATCH -")).isEqualTo("@batch=" + outerId + " :test BATCH -" + innerId);
            assertThat(alice.await("BATCH -")).isEqualTo(":test BATCH -" + outerId);

            alice.send("@label=q2 CHATHISTORY LATEST #nowhere * 10");
            assertThat(alice.await("FAIL")).startsWith("@label=q2 :test FAIL CHATHISTORY INVALID_TARGET LATEST #nowhere :");
        }
    }

    @Test
    void only_members_read_a_channel_and_only_the_pair_reads_a_dm() {
        try (IrcTestClient alice = withCaps("hist3a"); IrcTestClient bob = withCaps("hist3b"); IrcTestClient carol = withCaps("hist3c")) {
            alice.send("JOIN #hist3");
            alice.await(" 366 ");
            say(alice, "#hist3", 1, "secret");
            bob.send("CHATHISTORY LATEST #hist3 * 10");
            assertThat(bob.await("FAIL")).startsWith(":test FAIL CHATHISTORY INVALID_TARGET LATEST #hist3 :");
            bob.send("CHATHISTORY LATEST * * 10");
            assertThat(bob.await("FAIL")).isEqualTo(":test FAIL CHATHISTORY INVALID_TARGET LATEST * :Messages could not be retrieved: "
                    + "the target * is neither a channel nor a nick");
            bob.send("CHATHISTORY LATEST #nosuchchannel * 10");
            assertThat(bob.await("FAIL")).startsWith(":test FAIL CHATHISTORY INVALID_TARGET LATEST #nosuchchannel :");

            say(alice, "hist3b", 1, "to bob ");
            bob.await("PRIVMSG hist3b :to bob 0");
            say(bob, "hist3a", 1, "to alice ");
            assertThat(history(alice, "CHATHISTORY LATEST hist3b * 10")).containsExactly("to bob 0", "to alice 0");
            assertThat(history(bob, "CHATHISTORY LATEST HIST3A * 10")).containsExactly("to bob 0", "to alice 0");
            assertThat(history(carol, "CHATHISTORY LATEST hist3a * 10")).isEmpty();
            assertThat(history(carol, "CHATHISTORY LATEST hist3b * 10")).isEmpty();
        }
        try (IrcTestClient alice = withCaps("hist3a"); IrcTestClient newBob = withCaps("hist3b")) {
            assertThat(history(newBob, "CHATHISTORY LATEST hist3a * 10"))
                    .as("whoever takes an anonymous nick later does not read its conversations").isEmpty();
            assertThat(history(alice, "CHATHISTORY LATEST hist3b * 10")).isEmpty();
        }
    }

    @Test
    void targets_lists_channels_and_dm_partners_by_their_latest_message() {
        try (IrcTestClient alice = withCaps("hist4a"); IrcTestClient bob = withCaps("hist4b")) {
            alice.send("JOIN #hist4x");
            alice.await(" 366 ");
            alice.send("JOIN #hist4y");
            alice.await(" 366 ");
            say(alice, "#hist4x", 1, "x");
            say(alice, "hist4b", 1, "dm");
            say(alice, "#hist4y", 1, "y");
            alice.send("CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 10");
            List<String> block = alice.awaitBlock("BATCH +", "BATCH -");
            assertThat(block.getFirst()).matches(":test BATCH \\+\\S+ draft/chathistory-targets");
            assertThat(block.subList(1, block.size() - 1)).hasSize(3).allMatch(l -> l.matches(
                    "@batch=\\S+ :test CHATHISTORY TARGETS \\S+ \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
            assertThat(block.subList(1, block.size() - 1).stream().map(l -> l.split(" ")[4]))
                    .as("least recently active first").containsExactly("#hist4x", "hist4b", "#hist4y");
            alice.send("CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 1");
            assertThat(alice.awaitBlock("BATCH +", "BATCH -")).hasSize(3);
            alice.send("CHATHISTORY TARGETS timestamp=2998-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 10");
            assertThat(alice.awaitBlock("BATCH +", "BATCH -")).hasSize(2);
        }
    }

    @Test
    void bad_parameters_are_answered_with_fail_and_the_connection_goes_on() {
        try (IrcTestClient alice = withCaps("hist5")) {
            alice.send("JOIN #hist5");
            alice.await(" 366 ");
            Map<String, String> answers = Map.of(
                    "CHATHISTORY", "FAIL CHATHISTORY INVALID_PARAMS * :",
                    "CHATHISTORY SIDEWAYS #hist5 * 10", "FAIL CHATHISTORY INVALID_PARAMS SIDEWAYS :",
                    "CHATHISTORY LATEST #hist5 *", "FAIL CHATHISTORY NEED_MORE_PARAMS LATEST :",
                    "CHATHISTORY BEFORE #hist5 * 10", "FAIL CHATHISTORY INVALID_MSGREFTYPE BEFORE * :",
                    "CHATHISTORY AFTER #hist5 seq=3 10", "FAIL CHATHISTORY INVALID_MSGREFTYPE AFTER seq=3 :",
                    "CHATHISTORY AFTER #hist5 timestamp=yesterday 10", "FAIL CHATHISTORY INVALID_PARAMS AFTER timestamp=yesterday :",
                    "CHATHISTORY LATEST #hist5 * 0", "FAIL CHATHISTORY INVALID_PARAMS LATEST 0 :",
                    "CHATHISTORY LATEST #hist5 * many", "FAIL CHATHISTORY INVALID_PARAMS LATEST many :",
                    "CHATHISTORY TARGETS msgid=x timestamp=2999-01-01T00:00:00Z 5", "FAIL CHATHISTORY INVALID_PARAMS TARGETS msgid=x :");
            for (Map.Entry<String, String> e : answers.entrySet()) {
                alice.send(e.getKey());
                assertThat(alice.await("FAIL")).as(e.getKey()).startsWith(":test " + e.getValue());
            }
            say(alice, "#hist5", 3, "k");
            assertThat(history(alice, "CHATHISTORY LATEST #hist5 * 5000")).as("a limit above CHATHISTORY=1000 is lowered")
                    .containsExactly("k0", "k1", "k2");
            alice.send("VERSION");
            assertThat(alice.await("CHATHISTORY=")).contains(" CHATHISTORY=1000 MSGREFTYPES=timestamp,msgid ");
            alice.send("CAP LIST");
            assertThat(alice.await("CAP hist5 LIST")).contains("draft/chathistory");
        }
    }

    @Test
    void while_the_store_is_down_history_is_served_or_refused_with_the_reason() throws Exception {
        try (TestServer own = TestServer.start(Map.of("IRC_PORT", "0"))) {
            port = own.server().irc().port();
            try (IrcTestClient alice = withCaps("hist6")) {
                alice.send("JOIN #hist6");
                alice.await(" 366 ");
                say(alice, "#hist6", 1, "before");
                try (StoreOutage outage = StoreOutage.begin(own.dbUrl())) {
                    if (TestDatabases.postgres()) {
                        alice.send("CHATHISTORY LATEST #hist6 * 10");
                        assertThat(alice.await("a refusal", l -> l.contains(" FAIL "), Duration.ofSeconds(30)))
                                .startsWith(":test FAIL CHATHISTORY MESSAGE_ERROR LATEST #hist6 :Messages could not be retrieved: history is unavailable while the store is down");
                    } else {
                        // SQLite in WAL mode: readers go on while a writer holds the lock
                        assertThat(history(alice, "CHATHISTORY LATEST #hist6 * 10")).containsExactly("before0");
                    }
                    alice.send("PING :still-here");
                    assertThat(alice.await("PONG")).contains("still-here");
                }
                // the pool's connections died with the outage: a read may fail until they are replaced, as a user retrying sees
                Wait.until("history readable again", Duration.ofSeconds(30), () -> {
                    alice.send("CHATHISTORY LATEST #hist6 * 10");
                    return alice.await("an answer", l -> l.contains(" BATCH +") || l.contains(" FAIL "), Duration.ofSeconds(10))
                            .contains(" BATCH +");
                });
                assertThat(alice.await("PRIVMSG")).endsWith("PRIVMSG #hist6 :before0");
                alice.await("BATCH -");
            }
        } finally {
            port = server.server().irc().port();
        }
    }
}
