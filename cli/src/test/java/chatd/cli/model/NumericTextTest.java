package chatd.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.protocol.Numeric;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumericTextTest {
    private static final TimeFormat UTC = new TimeFormat(ZoneOffset.UTC, InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z")));

    private static String text(Numeric numeric, List<String> params, String... body) {
        return NumericText.format(Envelope.of(numeric.code(), "srv", "alice", params, List.of(body)), UTC);
    }

    @Test
    void numerics_read_as_sentences() {
        record Case(Numeric numeric, List<String> params, List<String> body, String expected) {}
        List<Case> cases = List.of(
                new Case(Numeric.RPL_TOPIC, List.of("#x"), List.of("all about x"), "Topic for #x: all about x"),
                new Case(Numeric.RPL_NOTOPIC, List.of("#x"), List.of("No topic is set"), "No topic is set for #x"),
                new Case(Numeric.RPL_TOPICWHOTIME, List.of("#x", "bob", "0"), List.of(), "Topic set by bob at 00:00 1970-01-01"),
                new Case(Numeric.RPL_NAMREPLY, List.of("=", "#general"), List.of("@op alice bob@beta"), "Users on #general: @op alice bob@beta"),
                new Case(Numeric.ERR_NOSUCHNICK, List.of("carol"), List.of("No such nick/channel"), "No such nick: carol"),
                new Case(Numeric.ERR_NOSUCHCHANNEL, List.of("#nope"), List.of("No such channel"), "No such channel: #nope"),
                new Case(Numeric.ERR_NICKNAMEINUSE, List.of("bob"), List.of("Nickname is already in use"), "Nickname is already in use: bob"),
                new Case(Numeric.ERR_NOTONCHANNEL, List.of("#x"), List.of("You're not on that channel"), "You're not on #x"),
                new Case(Numeric.ERR_CHANOPRIVSNEEDED, List.of("#x"), List.of("..."), "You're not channel operator on #x"),
                new Case(Numeric.ERR_BADCHANNELKEY, List.of("#x"), List.of("..."), "Cannot join #x (wrong channel key)"),
                new Case(Numeric.RPL_WHOISUSER, List.of("bob", "bob", "beta", "*"), List.of("Bob B"), "bob is bob@beta (Bob B)"),
                new Case(Numeric.RPL_WHOISSERVER, List.of("bob", "beta"), List.of("Beta server"), "bob is on server beta (Beta server)"),
                new Case(Numeric.RPL_WHOISCHANNELS, List.of("bob"), List.of("@#x #y"), "bob is on @#x #y"),
                new Case(Numeric.RPL_WHOISSPECIAL, List.of("bob@beta"), List.of("is unreachable"), "bob@beta is unreachable"),
                new Case(Numeric.RPL_AWAY, List.of("bob"), List.of("lunch"), "bob is away: lunch"),
                new Case(Numeric.RPL_NOWAWAY, List.of(), List.of("You have been marked as being away"), "You have been marked as being away"),
                new Case(Numeric.RPL_LIST, List.of("#x", "3"), List.of("topic"), "#x (3 users): topic"),
                new Case(Numeric.RPL_INVITELIST, List.of("#x"), List.of(), "You are invited to #x"),
                new Case(Numeric.RPL_BANLIST, List.of("#x", "troll!*@*"), List.of(), "Ban on #x: troll!*@*"),
                new Case(Numeric.RPL_EXCEPTLIST, List.of("#x", "friend!*@*"), List.of(), "Ban exception on #x: friend!*@*"),
                new Case(Numeric.RPL_INVEXLIST, List.of("#x", "*!*@beta"), List.of(), "Invite exception on #x: *!*@beta"),
                new Case(Numeric.RPL_WELCOME, List.of(), List.of("Welcome to chatd, alice"), "Welcome to chatd, alice"),
                new Case(Numeric.RPL_LUSERCHANNELS, List.of("4"), List.of("channels formed"), "4 channels formed"));
        for (Case c : cases) {
            assertThat(text(c.numeric(), c.params(), c.body().toArray(String[]::new))).as(c.numeric().name()).isEqualTo(c.expected());
        }
    }

    @Test
    void list_terminators_print_nothing() {
        assertThat(text(Numeric.RPL_ENDOFNAMES, List.of("#x"), "End of /NAMES list")).isNull();
        assertThat(text(Numeric.RPL_ENDOFWHOIS, List.of("bob"), "End of /WHOIS list")).isNull();
        assertThat(text(Numeric.RPL_ENDOFBANLIST, List.of("#x"), "End of channel ban list")).isNull();
        assertThat(text(Numeric.RPL_ENDOFEXCEPTLIST, List.of("#x"), "End of channel exception list")).isNull();
        assertThat(text(Numeric.RPL_ENDOFINVEXLIST, List.of("#x"), "End of channel invite list")).isNull();
    }

    @Test
    void unknown_numerics_show_params_and_text_not_the_code() {
        String shown = NumericText.format(Envelope.of("999", "srv", "alice", List.of("#x", "y"), List.of("something odd")), UTC);
        assertThat(shown).isEqualTo("#x y: something odd");
    }

    @Test
    void the_channel_of_a_numeric_is_its_first_channel_param() {
        assertThat(NumericText.channelOf(Envelope.of("353", "srv", "alice", List.of("=", "#general"), List.of("a")))).isEqualTo("#general");
        assertThat(NumericText.channelOf(Envelope.of("401", "srv", "alice", List.of("bob"), List.of()))).isNull();
    }
}
