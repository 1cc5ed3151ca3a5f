package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway driven with a raw socket, checking the exact lines a classic IRC server sends. Each test
 * uses its own nicks and channel on one server.
 */
class IrcGatewayTest {
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

    @Test
    void registration_sends_the_welcome_burst_with_the_remote_nick_separator() {
        try (IrcTestClient c = IrcTestClient.connect(port)) {
            c.send("NICK reg").send("USER reg 0 * :Reg Ular");
            assertThat(c.await(" 001 ")).isEqualTo(":test 001 reg :Welcome to the chatd network, reg");
            assertThat(c.await(" 002 ")).isEqualTo(":test 002 reg :Your host is test, running version chatd-1.1.0");
            assertThat(c.await(" 004 ")).isEqualTo(":test 004 reg test chatd-1.1.0 Biow Ibeiklmnostv");
            assertThat(c.await(" 005 ")).startsWith(":test 005 reg CASEMAPPING=ascii CHANTYPES=# PREFIX=(ov)@+ CHANMODES=beI,k,l,imnst"
                    + " EXCEPTS=e INVEX=I MAXLIST=b:100,e:100,I:100 ");
            assertThat(c.await(" 005 ")).endsWith(" REMOTENICKSEP=/ :are supported by this server");
            assertThat(c.await(" 376 ")).isEqualTo(":test 376 reg :End of /MOTD command.");
            c.send("PING :tok");
            assertThat(c.await("PONG")).isEqualTo(":test PONG test :tok");
        }
    }

    @Test
    void join_privmsg_mode_names_whois_away_kick_and_quit_look_like_irc() {
        try (IrcTestClient alice = IrcTestClient.register(port, "alice1"); IrcTestClient bob = IrcTestClient.register(port, "bob1")) {
            alice.send("JOIN #flow");
            assertThat(alice.await("JOIN")).isEqualTo(":alice1!alice1@test JOIN #flow");
            assertThat(alice.await(" 353 ")).isEqualTo(":test 353 alice1 = #flow :@alice1");
            assertThat(alice.await(" 366 ")).isEqualTo(":test 366 alice1 #flow :End of /NAMES list.");

            bob.send("JOIN #flow");
            assertThat(bob.await(" 353 ")).isEqualTo(":test 353 bob1 = #flow :@alice1 bob1");
            assertThat(alice.await("JOIN")).isEqualTo(":bob1!bob1@test JOIN #flow");

            bob.send("PRIVMSG #flow :hi all");
            assertThat(alice.await("PRIVMSG")).isEqualTo(":bob1!bob1@test PRIVMSG #flow :hi all");
            bob.send("TIME");
            bob.await(" 391 ");
            assertThat(bob.received()).noneMatch(l -> l.contains("PRIVMSG #flow :hi all")); // no echo without echo-message

            alice.send("MODE #flow +v bob1");
            assertThat(alice.await("MODE")).isEqualTo(":alice1!alice1@test MODE #flow +v bob1");
            assertThat(bob.await("MODE")).isEqualTo(":alice1!alice1@test MODE #flow +v bob1");
            alice.send("MODE #flow");
            assertThat(alice.await(" 324 ")).isEqualTo(":test 324 alice1 #flow +nt");

            alice.send("NAMES #flow");
            assertThat(alice.await(" 353 ")).isEqualTo(":test 353 alice1 = #flow :@alice1 +bob1");
            assertThat(alice.await(" 366 ")).isEqualTo(":test 366 alice1 #flow :End of /NAMES list.");

            alice.send("WHOIS bob1");
            assertThat(alice.await(" 311 ")).isEqualTo(":test 311 alice1 bob1 bob1 test * :bob1");
            assertThat(alice.await(" 312 ")).isEqualTo(":test 312 alice1 bob1 test :this server");
            assertThat(alice.await(" 319 ")).isEqualTo(":test 319 alice1 bob1 :+#flow");
            assertThat(alice.await(" 318 ")).isEqualTo(":test 318 alice1 bob1 :End of /WHOIS list.");

            bob.send("AWAY :lunch");
            assertThat(bob.await(" 306 ")).isEqualTo(":test 306 bob1 :You have been marked as being away");
            alice.send("PRIVMSG bob1 :you there?");
            assertThat(alice.await(" 301 ")).isEqualTo(":test 301 alice1 bob1 :lunch");
            assertThat(bob.await("PRIVMSG")).isEqualTo(":alice1!alice1@test PRIVMSG bob1 :you there?");
            bob.send("AWAY");
            assertThat(bob.await(" 305 ")).isEqualTo(":test 305 bob1 :You are no longer marked as being away");

            alice.send("KICK #flow bob1 :enough");
            assertThat(alice.await("KICK")).isEqualTo(":alice1!alice1@test KICK #flow bob1 :enough");
            assertThat(bob.await("KICK")).isEqualTo(":alice1!alice1@test KICK #flow bob1 :enough");
            bob.send("PRIVMSG #flow :let me in");
            assertThat(bob.await(" 404 ")).isEqualTo(":test 404 bob1 #flow :Cannot send to channel");

            bob.send("JOIN #flow");
            alice.await(":bob1!bob1@test JOIN #flow");
            bob.send("QUIT :later");
            assertThat(bob.await("ERROR")).isEqualTo("ERROR :Closing Link: 127.0.0.1 (Quit: later)");
            assertThat(alice.await("QUIT")).isEqualTo(":bob1!bob1@test QUIT :Quit: later");
            bob.awaitClose(Duration.ofSeconds(5));
        }
    }

    @Test
    void an_anonymous_connection_dropped_without_quit_ends_its_session_and_frees_the_nick_at_once() {
        try (IrcTestClient carol = IrcTestClient.register(port, "carol2")) {
            IrcTestClient dropped = IrcTestClient.register(port, "drop2");
            dropped.send("JOIN #drop");
            dropped.await(" 366 ");
            carol.send("JOIN #drop");
            carol.await(" 366 ");
            dropped.close();
            try (IrcTestClient again = IrcTestClient.connect(port)) {
                again.send("NICK drop2").send("USER drop2 0 * :again");
                assertThat(again.await(" 001 ")).isEqualTo(":test 001 drop2 :Welcome to the chatd network, drop2");
            }
            assertThat(carol.await("QUIT")).isEqualTo(":drop2!drop2@test QUIT :Connection closed");
        }
    }

    @Test
    void bad_lines_get_their_numeric_and_the_connection_lives_on() {
        try (IrcTestClient early = IrcTestClient.connect(port)) {
            early.send("JOIN #early");
            assertThat(early.await(" 451 ")).isEqualTo(":test 451 * :You have not registered");
        }
        try (IrcTestClient taken = IrcTestClient.register(port, "taken3"); IrcTestClient c = IrcTestClient.connect(port)) {
            c.send("NICK taken3").send("USER x 0 * :x");
            assertThat(c.await(" 433 ")).isEqualTo(":test 433 * taken3 :Nickname is already in use");
            c.send("NICK 3bad");
            assertThat(c.await(" 432 ")).isEqualTo(":test 432 * 3bad :Erroneous nickname");
            c.send("NICK dave3");
            c.await(" 376 dave3 ");
            c.send("FOO bar");
            assertThat(c.await(" 421 ")).isEqualTo(":test 421 dave3 FOO :Unknown command");
            c.send("JOIN");
            assertThat(c.await(" 461 ")).isEqualTo(":test 461 dave3 JOIN :Not enough parameters");
            c.send("PRIVMSG nobody3 :hello?");
            assertThat(c.await(" 401 ")).isEqualTo(":test 401 dave3 nobody3 :No such nick/channel");
            c.send("USER again 0 * :again");
            assertThat(c.await(" 462 ")).isEqualTo(":test 462 dave3 :You may not reregister");
            c.send("PRIVMSG #x :" + "y".repeat(600));
            assertThat(c.await(" 417 ")).isEqualTo(":test 417 dave3 :Input line was too long");
            c.send("PING :still-here");
            assertThat(c.await("PONG")).isEqualTo(":test PONG test :still-here");
        }
    }

    @Test
    void capabilities_add_echo_tags_and_every_prefix() {
        try (IrcTestClient c = IrcTestClient.connect(port)) {
            c.send("CAP LS 302").send("NICK capper").send("USER capper 0 * :c");
            assertThat(c.await("CAP * LS")).isEqualTo(
                    ":test CAP * LS :server-time message-tags echo-message multi-prefix userhost-in-names away-notify"
                            + " extended-monitor setname account-tag invite-notify batch labeled-response draft/read-marker draft/chathistory sasl=PLAIN");
            c.send("CAP REQ :echo-message multi-prefix server-time message-tags");
            assertThat(c.await("ACK")).isEqualTo(":test CAP * ACK :echo-message multi-prefix server-time message-tags");
            c.send("CAP REQ :no-such-cap");
            assertThat(c.await("NAK")).isEqualTo(":test CAP * NAK :no-such-cap");
            c.send("CAP END");
            c.await(" 376 capper ");
            c.send("JOIN #caps").send("MODE #caps +v capper").send("NAMES #caps");
            assertThat(c.await(" 353 capper = #caps :@+")).matches("@time=\\S+ :test 353 capper = #caps :@\\+capper");
            c.send("PRIVMSG #caps :echo me");
            assertThat(c.await("PRIVMSG")).matches(
                    "@time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z;msgid=[0-9a-f-]{36} :capper!capper@test PRIVMSG #caps :echo me");
        }
    }

    @Test
    void ctcp_isonline_and_userhost_pass_through_the_core() {
        try (IrcTestClient a = IrcTestClient.register(port, "ctcpa"); IrcTestClient b = IrcTestClient.register(port, "ctcpb")) {
            a.send("PRIVMSG ctcpb :\u0001ACTION waves\u0001");
            assertThat(b.await("PRIVMSG")).isEqualTo(":ctcpa!ctcpa@test PRIVMSG ctcpb :\u0001ACTION waves\u0001");
            a.send("ISON ctcpb nobody ctcpa");
            assertThat(a.await(" 303 ")).isEqualTo(":test 303 ctcpa :ctcpb ctcpa");
            a.send("USERHOST ctcpb");
            assertThat(a.await(" 302 ")).isEqualTo(":test 302 ctcpa :ctcpb=+ctcpb@test");
            a.send("VERSION");
            assertThat(a.await(" 351 ")).isEqualTo(":test 351 ctcpa chatd-1.1.0. test :chatd, IRC semantics over HTTP");
        }
    }

    @Test
    void lines_may_end_with_bare_lf_and_carry_tags() {
        try (IrcTestClient c = IrcTestClient.connect(port)) {
            c.send("NICK lfonly\nUSER lfonly 0 * :x");
            c.await(" 376 lfonly ");
            c.send("@+typing=active;label=x PING :tagged\nTIME");
            assertThat(c.await("PONG")).isEqualTo(":test PONG test :tagged");
            assertThat(c.await(" 391 ")).startsWith(":test 391 lfonly test :");
        }
    }

    @Test
    void exception_lists_look_like_irc_and_let_their_users_past_bans_and_invite_only() {
        try (IrcTestClient op = IrcTestClient.register(port, "exop"); IrcTestClient friend = IrcTestClient.register(port, "friend")) {
            op.send("JOIN #except");
            op.await(" 366 ");
            op.send("MODE #except +ibeI * friend!*@* friend!*@*");
            assertThat(op.await(" MODE #except")).isEqualTo(":exop!exop@test MODE #except +ibeI * friend!*@* friend!*@*");
            op.send("MODE #except e");
            assertThat(op.await(" 348 ")).isEqualTo(":test 348 exop #except friend!*@*");
            assertThat(op.await(" 349 ")).isEqualTo(":test 349 exop #except :End of channel exception list");
            op.send("MODE #except I");
            assertThat(op.await(" 346 ")).isEqualTo(":test 346 exop #except friend!*@*");
            assertThat(op.await(" 347 ")).isEqualTo(":test 347 exop #except :End of channel invite list");
            friend.send("JOIN #except");
            assertThat(friend.await(" JOIN ")).isEqualTo(":friend!friend@test JOIN #except");
        }
    }

    @Test
    void invite_notify_shows_another_user_s_invitation_to_the_channel_operators_only() {
        ApiClient webApi = server.client();
        webApi.createSession("webop");
        Mailbox webop = new Mailbox(webApi);
        try (IrcTestClient watcher = IrcTestClient.connect(port); IrcTestClient plain = IrcTestClient.register(port, "plainop");
                IrcTestClient member = IrcTestClient.register(port, "member");
                IrcTestClient inviter = IrcTestClient.register(port, "inviter"); IrcTestClient guest = IrcTestClient.register(port, "guest")) {
            watcher.send("CAP REQ :invite-notify").send("NICK opwatch").send("USER o 0 * :o").send("CAP END");
            watcher.await(" 376 opwatch ");
            watcher.send("JOIN #invnote");
            watcher.await(" 366 ");
            member.send("CAP REQ :invite-notify"); // not an operator: the capability alone shows nothing
            for (IrcTestClient c : List.of(plain, inviter, member)) {
                c.send("JOIN #invnote");
                c.await(" 366 ");
            }
            webApi.send("JOIN", "#invnote");
            webop.awaitNumeric("366");
            watcher.send("MODE #invnote +ooo plainop inviter webop");
            inviter.await(" MODE #invnote +ooo plainop inviter webop");
            inviter.send("CAP REQ :invite-notify").send("INVITE guest #invnote");
            assertThat(inviter.await(" 341 ")).isEqualTo(":test 341 inviter guest #invnote");
            assertThat(guest.await(" INVITE ")).isEqualTo(":inviter!inviter@test INVITE guest #invnote");
            // an operator that asked for invite-notify sees it; one that did not, a plain member and the inviter do not
            assertThat(watcher.await(" INVITE ")).isEqualTo(":inviter!inviter@test INVITE guest #invnote");
            for (IrcTestClient c : List.of(plain, member, inviter)) {
                c.send("TIME");
                c.await(" 391 ");
                assertThat(c.received()).noneMatch(l -> l.contains(" INVITE "));
            }
            // an HTTP operator gets it flagged, so a client can tell it from an invitation of its own
            Envelope notified = webop.await("the INVITE notification", Mailbox.command("INVITE", "guest"));
            assertThat(notified.from()).isEqualTo("inviter");
            assertThat(notified.params()).containsExactly("#invnote");
            assertThat(notified.meta().path("notify").asBoolean()).isTrue();
        }
    }
}
