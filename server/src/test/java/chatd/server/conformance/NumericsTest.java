package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error numeric of SPEC §5, triggered over HTTP and checked (numeric and params). */
class NumericsTest {
    private static TestServer server;
    private static Mailbox alice;
    private static Mailbox bob;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        alice = user("alice");
        bob = user("bob");
        send(alice, "JOIN", "#ops");
        send(bob, "JOIN", "#ops");
        send(alice, "JOIN", "#alice-only");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        alice.drain();
        bob.drain();
    }

    static Mailbox user(String nick) {
        ApiClient api = server.client();
        api.createSession(nick);
        Mailbox box = new Mailbox(api);
        box.drain();
        return box;
    }

    static void send(Mailbox who, String command, String to, List<String> params, List<String> body) {
        who.api().send(new Envelope(null, null, command, null, to, params, body == null ? null : Envelope.lines(body), null, null));
    }

    static void send(Mailbox who, String command, String to) {
        send(who, command, to, List.of(), null);
    }

    static Envelope expect(Mailbox who, String numeric, String... params) {
        Envelope e = who.awaitNumeric(numeric);
        assertThat(e.to()).isEqualTo(who.api().state().path("nick").asText());
        assertThat(e.params()).containsExactly(params);
        if (numeric.startsWith("4")) {
            assertThat(e.bodyLines()).as("a human-readable reason").isNotEmpty();
        }
        return e;
    }

    @Test
    void err_401_no_such_nick() {
        send(alice, "PRIVMSG", "nobody", List.of(), List.of("hi"));
        expect(alice, "401", "nobody");
    }

    @Test
    void err_403_no_such_channel() {
        send(alice, "PART", "#nowhere");
        expect(alice, "403", "#nowhere");
    }

    @Test
    void err_404_cannot_send_to_channel() {
        send(bob, "PRIVMSG", "#alice-only", List.of(), List.of("let me in"));
        expect(bob, "404", "#alice-only");
    }

    @Test
    void err_405_too_many_channels() {
        Mailbox greedy = user("greedy");
        for (int i = 0; i < 100; i++) {
            send(greedy, "JOIN", "#c" + i);
        }
        greedy.drain();
        send(greedy, "JOIN", "#one-too-many");
        expect(greedy, "405", "#one-too-many");
    }

    @Test
    void err_411_no_recipient_and_412_no_text() {
        send(alice, "PRIVMSG", null, List.of(), List.of("to whom?"));
        expect(alice, "411");
        send(alice, "PRIVMSG", "#ops", List.of(), null);
        expect(alice, "412");
    }

    @Test
    void err_421_unknown_command() {
        send(alice, "XYZZY", "#ops");
        expect(alice, "421", "XYZZY");
    }

    @Test
    void err_431_432_433_nick_errors() {
        send(alice, "NICK", null, List.of(), null);
        expect(alice, "431");
        send(alice, "NICK", null, List.of(), List.of("9bad"));
        expect(alice, "432", "9bad");
        send(alice, "NICK", null, List.of(), List.of("BOB"));
        expect(alice, "433", "BOB");
    }

    @Test
    void err_441_442_443_membership_errors() {
        send(alice, "KICK", "#ops", List.of("carol"), null);
        expect(alice, "441", "carol", "#ops");
        send(bob, "TOPIC", "#alice-only", List.of(), List.of("mine now"));
        expect(bob, "442", "#alice-only");
        send(alice, "INVITE", "bob", List.of("#ops"), null);
        expect(alice, "443", "bob", "#ops");
    }

    @Test
    void err_461_need_more_params() {
        send(alice, "JOIN", null);
        expect(alice, "461", "JOIN");
        send(alice, "KICK", "#ops", List.of(), null);
        expect(alice, "461", "KICK");
    }

    @Test
    void err_471_473_474_475_join_refusals() {
        send(alice, "JOIN", "#locked");
        send(alice, "MODE", "#locked", List.of("+k", "sesame"), null);
        send(bob, "JOIN", "#locked");
        expect(bob, "475", "#locked");
        send(alice, "MODE", "#locked", List.of("-k+i"), null);
        send(bob, "JOIN", "#locked");
        expect(bob, "473", "#locked");
        send(alice, "MODE", "#locked", List.of("-i+l", "1"), null);
        send(bob, "JOIN", "#locked");
        expect(bob, "471", "#locked");
        send(alice, "MODE", "#locked", List.of("-l+b", "bob!*@*"), null);
        send(bob, "JOIN", "#locked");
        expect(bob, "474", "#locked");
    }

    @Test
    void err_482_not_operator() {
        send(bob, "MODE", "#ops", List.of("+m"), null);
        expect(bob, "482", "#ops");
        send(bob, "KICK", "#ops", List.of("alice"), null);
        expect(bob, "482", "#ops");
    }

    @Test
    void away_users_answer_301_and_ping_answers_pong() {
        send(bob, "AWAY", null, List.of(), List.of("gone fishing"));
        expect(bob, "306");
        send(alice, "PRIVMSG", "bob", List.of(), List.of("there?"));
        Envelope away = expect(alice, "301", "bob");
        assertThat(away.bodyLines()).containsExactly("gone fishing");
        send(bob, "AWAY", null);
        expect(bob, "305");
        send(alice, "PING", null, List.of(), List.of("token-1"));
        Envelope pong = alice.await("PONG", Mailbox.command("PONG", null));
        assertThat(pong.bodyLines()).containsExactly("token-1");
    }

    @Test
    void queries_answer_with_their_numerics() {
        send(alice, "WHOIS", "bob");
        expect(alice, "311", "bob", "bob", "test", "*");
        expect(alice, "319", "bob");
        expect(alice, "318", "bob");
        send(alice, "WHO", "#ops");
        alice.await("352 for bob", e -> e.command().equals("352") && e.params().contains("bob"));
        expect(alice, "315", "#ops");
        send(alice, "NAMES", "#ops");
        Envelope names = expect(alice, "353", "=", "#ops");
        assertThat(names.bodyLines().getFirst().split(" ")).containsExactlyInAnyOrder("@alice", "bob");
        expect(alice, "366", "#ops");
        send(alice, "LUSERS", null);
        alice.awaitNumeric("255");
        send(alice, "MOTD", null);
        alice.awaitNumeric("376");
        send(alice, "MODE", "alice");
        expect(alice, "221", "+");
        send(alice, "MODE", "bob");
        expect(alice, "502");
    }
}
