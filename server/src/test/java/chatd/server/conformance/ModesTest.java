package chatd.server.conformance;

import static chatd.server.conformance.NumericsTest.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import chatd.cli.api.ApiClient;
import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channel modes as users meet them: k, l, i with INVITE, b, m with v, n, t, KICK, s (issue 3). */
class ModesTest {
    private TestServer server;
    private Mailbox op;
    private Mailbox guest;

    @BeforeEach
    void start() {
        server = TestServer.start();
        op = user("op");
        guest = user("guest");
        send(op, "JOIN", "#room");
        op.drain();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Mailbox user(String nick) {
        ApiClient api = server.client();
        api.createSession(nick);
        Mailbox box = new Mailbox(api);
        box.drain();
        return box;
    }

    private static void send(Mailbox who, String command, String to, String... params) {
        who.api().send(new Envelope(null, null, command, null, to, List.of(params), null, null, null));
    }

    private static void say(Mailbox who, String to, String text) {
        who.api().privmsg(to, text);
    }

    private boolean joined(Mailbox who) {
        return who.api().state().path("channels").toString().contains("#room");
    }

    @Test
    void key_lets_in_only_those_who_know_it() {
        send(op, "MODE", "#room", "+k", "sesame");
        Envelope mode = op.next("MODE +k", Mailbox.command("MODE", "#room"));
        assertThat(mode.params()).containsExactly("+k", "sesame");
        send(guest, "JOIN", "#room", "wrong");
        expect(guest, "475", "#room");
        send(guest, "JOIN", "#room", "sesame");
        guest.next("own JOIN", Mailbox.command("JOIN", "#room"));
        assertThat(joined(guest)).isTrue();
    }

    @Test
    void limit_caps_the_member_count() {
        send(op, "MODE", "#room", "+l", "2");
        Mailbox third = user("third");
        send(guest, "JOIN", "#room");
        assertThat(joined(guest)).isTrue();
        send(third, "JOIN", "#room");
        expect(third, "471", "#room");
        send(op, "MODE", "#room", "-l");
        send(third, "JOIN", "#room");
        assertThat(joined(third)).isTrue();
    }

    @Test
    void invite_only_needs_an_invitation() {
        send(op, "MODE", "#room", "+i");
        send(guest, "JOIN", "#room");
        expect(guest, "473", "#room");
        send(op, "INVITE", "guest", "#room");
        expect(op, "341", "guest", "#room");
        Envelope invite = guest.next("INVITE", Mailbox.command("INVITE", "guest"));
        assertThat(invite.from()).isEqualTo("op");
        assertThat(invite.params()).containsExactly("#room");
        // INVITE alone lists the invitations not used yet
        guest.api().send(new Envelope(null, null, "INVITE", null, null, List.of(), null, null, null));
        expect(guest, "336", "#room");
        expect(guest, "337");
        send(guest, "JOIN", "#room");
        assertThat(joined(guest)).isTrue();
        guest.api().send(new Envelope(null, null, "INVITE", null, null, List.of(), null, null, null));
        expect(guest, "337");
        assertThat(guest.received()).filteredOn(e -> e.command().equals("336")).hasSize(1);
    }

    @Test
    void bans_keep_matching_users_out() {
        send(op, "MODE", "#room", "+b", "gu*!*@*");
        send(guest, "JOIN", "#room");
        expect(guest, "474", "#room");
        send(op, "MODE", "#room", "b");
        expect(op, "367", "#room", "gu*!*@*");
        expect(op, "368", "#room");
        send(op, "MODE", "#room", "-b", "gu*!*@*");
        send(guest, "JOIN", "#room");
        assertThat(joined(guest)).isTrue();
    }

    @Test
    void a_ban_exception_lets_its_users_join_and_speak_and_an_invite_exception_opens_invite_only() {
        send(op, "MODE", "#room", "+be", "gu*!*@*", "guest!*@*");
        op.next("MODE +be", e -> e.command().equals("MODE") && e.params().equals(List.of("+be", "gu*!*@*", "guest!*@*")));
        send(guest, "JOIN", "#room");
        guest.next("own JOIN", Mailbox.command("JOIN", "#room"));
        String id = guest.api().privmsg("#room", "excepted from the ban");
        op.await("the excepted user's line", e -> id.equals(e.id()));

        Mailbox other = user("gum");
        send(other, "JOIN", "#room");
        expect(other, "474", "#room");
        send(op, "MODE", "#room", "+i");
        send(op, "MODE", "#room", "-b", "gu*!*@*");
        send(other, "JOIN", "#room");
        expect(other, "473", "#room");
        send(op, "MODE", "#room", "+I", "gum!*@test");
        send(other, "JOIN", "#room");
        other.next("own JOIN", Mailbox.command("JOIN", "#room"));
        assertThat(joined(other)).isTrue();
    }

    @Test
    void exception_lists_are_listed_to_anyone_checked_like_bans_for_operators_only_and_kept_across_a_restart() {
        send(op, "MODE", "#room", "+eI", "friend!*@*", "*!*@beta");
        send(guest, "MODE", "#room", "e");
        expect(guest, "348", "#room", "friend!*@*");
        expect(guest, "349", "#room");
        send(guest, "MODE", "#room", "+I");
        expect(guest, "346", "#room", "*!*@beta");
        expect(guest, "347", "#room");
        send(guest, "MODE", "#room", "+e", "me!*@*");
        expect(guest, "482", "#room");
        send(op, "MODE", "#room", "+e", " ");
        expect(op, "696", "#room", "e", " ");
        send(op, "MODE", "#room", "-I+e", "*!*@beta");
        expect(op, "461", "MODE");

        server.restart();
        op.drain();
        send(op, "MODE", "#room", "e");
        expect(op, "348", "#room", "friend!*@*");
        expect(op, "349", "#room");
        send(op, "MODE", "#room", "I");
        expect(op, "347", "#room");
        assertThat(op.received()).noneMatch(e -> e.command().equals("346"));
    }

    @Test
    void moderated_channels_need_voice() {
        send(guest, "JOIN", "#room");
        send(op, "MODE", "#room", "+m");
        say(guest, "#room", "can I talk?");
        expect(guest, "404", "#room");
        send(op, "MODE", "#room", "+v", "guest");
        Envelope voice = op.next("MODE +v", e -> e.command().equals("MODE") && e.params().contains("+v"));
        assertThat(voice.params()).containsExactly("+v", "guest");
        String id = guest.api().privmsg("#room", "now I can");
        op.await("voiced line", e -> id.equals(e.id()));
        assertThat(guest.api().members("#room").get(1).path("modes").asText()).isEqualTo("v");
    }

    @Test
    void no_external_messages_by_default_and_allowed_with_minus_n() {
        say(guest, "#room", "from outside");
        expect(guest, "404", "#room");
        send(op, "MODE", "#room", "-n");
        String id = guest.api().privmsg("#room", "from outside again");
        op.await("outside line", e -> id.equals(e.id()));
    }

    @Test
    void topic_lock_reserves_the_topic_for_operators() {
        send(guest, "JOIN", "#room");
        guest.api().send("TOPIC", "#room", "guest topic");
        expect(guest, "482", "#room");
        send(op, "MODE", "#room", "-t");
        guest.api().send("TOPIC", "#room", "guest topic");
        Envelope topic = op.next("TOPIC", Mailbox.command("TOPIC", "#room"));
        assertThat(topic.from()).isEqualTo("guest");
        assertThat(topic.bodyLines()).containsExactly("guest topic");
        send(op, "TOPIC", "#room");
        expect(op, "332", "#room");
        Envelope whoTime = op.next("333", Mailbox.command("333", null));
        assertThat(whoTime.params().subList(0, 2)).containsExactly("#room", "guest");
        assertThat(Long.parseLong(whoTime.params().get(2))).isCloseTo(System.currentTimeMillis() / 1000, within(120L));
    }

    @Test
    void kick_by_an_operator_removes_and_by_others_is_482() {
        send(guest, "JOIN", "#room");
        send(guest, "KICK", "#room", "op");
        expect(guest, "482", "#room");
        op.api().send(new Envelope(null, null, "KICK", null, "#room", List.of("guest"), Envelope.lines(List.of("bye")), null, null));
        Envelope kick = guest.next("KICK", Mailbox.command("KICK", "#room"));
        assertThat(kick.from()).isEqualTo("op");
        assertThat(kick.params()).containsExactly("guest");
        assertThat(kick.bodyLines()).containsExactly("bye");
        assertThat(joined(guest)).isFalse();
    }

    @Test
    void secret_channels_are_hidden_from_list() {
        send(op, "JOIN", "#secret");
        send(op, "MODE", "#secret", "+s");
        send(guest, "LIST", null);
        guest.next("323", Mailbox.command("323", null));
        assertThat(guest.received()).noneMatch(e -> e.command().equals("322") && e.params().contains("#secret"));
        assertThat(guest.received()).anyMatch(e -> e.command().equals("322") && e.params().contains("#room"));
        send(op, "MODE", "#secret");
        Envelope modes = expect(op, "324", "#secret", "+nst");
        assertThat(modes.params()).containsExactly("#secret", "+nst");
    }

    @Test
    void a_secret_channel_shows_its_modes_and_bans_to_members_only() {
        send(op, "MODE", "#room", "+sk", "sesame");
        send(op, "MODE", "#room", "+b", "troll!*@*");
        send(guest, "MODE", "#room");
        expect(guest, "442", "#room");
        send(guest, "MODE", "#room", "b");
        expect(guest, "442", "#room");
        assertThat(guest.received()).noneMatch(e -> e.command().equals("324") || e.command().equals("367"));
        send(op, "MODE", "#room");
        expect(op, "324", "#room", "+nstk", "sesame");
    }

    @Test
    void invalid_mode_arguments_are_696_and_change_nothing() {
        send(op, "MODE", "#room", "+k", "two words");
        expect(op, "696", "#room", "k", "*");
        send(op, "MODE", "#room", "+k", "");
        expect(op, "696", "#room", "k", "*");
        send(op, "MODE", "#room", "+l", "0");
        expect(op, "696", "#room", "l", "0");
        send(op, "MODE", "#room", "+o", "nobody");
        expect(op, "401", "nobody");
        send(op, "MODE", "#room", "+o", "guest");
        expect(op, "441", "guest", "#room");
        send(op, "MODE", "#room");
        expect(op, "324", "#room", "+nt");
        // a second key replaces the first, as the MODE shows
        send(op, "MODE", "#room", "+k", "one");
        send(op, "MODE", "#room", "+k", "two");
        op.next("MODE +k two", e -> e.command().equals("MODE") && e.params().equals(List.of("+k", "two")));
    }

    @Test
    void a_topic_longer_than_topiclen_is_cut() {
        String longTopic = "x".repeat(500);
        op.api().send(new Envelope(null, null, "TOPIC", null, "#room", List.of(), Envelope.lines(List.of(longTopic)), null, null));
        Envelope topic = op.next("TOPIC", Mailbox.command("TOPIC", "#room"));
        assertThat(topic.bodyLines()).containsExactly("x".repeat(390));
        assertThat(op.api().channels().get(0).path("topic").asText()).hasSize(390);
    }

    @Test
    void a_banned_member_cannot_speak_unless_voiced() {
        send(guest, "JOIN", "#room");
        send(op, "MODE", "#room", "+b", "guest!*@*");
        say(guest, "#room", "still here?");
        expect(guest, "404", "#room");
        send(op, "MODE", "#room", "+v", "guest");
        say(guest, "#room", "voiced");
        op.await("the voiced message", Mailbox.text("voiced"));
    }

    @Test
    void the_last_member_leaving_removes_the_channel() {
        send(op, "PART", "#room");
        assertThat(op.api().channels()).isEmpty();
        send(guest, "JOIN", "#room");
        Envelope names = guest.next("353", Mailbox.command("353", null));
        assertThat(names.bodyLines()).containsExactly("@guest");
    }
}
