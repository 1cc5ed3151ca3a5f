package chatd.cli.input;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InputParserTest {
    private static Envelope sent(String line, String current) {
        Input input = InputParser.parse(line, current);
        assertThat(input).as(line).isInstanceOf(Input.Send.class);
        return ((Input.Send) input).envelope();
    }

    private static String problem(String line, String current) {
        Input input = InputParser.parse(line, current);
        assertThat(input).as(line).isInstanceOf(Input.Problem.class);
        return ((Input.Problem) input).message();
    }

    @Test
    void plain_text_is_a_privmsg_to_the_current_window() {
        Envelope e = sent("hello there", "#room");
        assertThat(e.command()).isEqualTo("PRIVMSG");
        assertThat(e.to()).isEqualTo("#room");
        assertThat(e.bodyLines()).containsExactly("hello there");
        assertThat(sent("hi", "bob@beta").to()).isEqualTo("bob@beta");
    }

    @Test
    void plain_text_in_the_server_window_is_refused() {
        assertThat(problem("hello", null)).contains("/join");
    }

    @Test
    void double_slash_sends_a_literal_slash() {
        assertThat(sent("//shrug", "#room").bodyLines()).containsExactly("/shrug");
    }

    @Test
    void commands_map_to_envelopes() {
        record Case(String line, String current, String command, String to, List<String> params, List<String> body) {}
        List<Case> cases = List.of(
                new Case("/join #room", null, "JOIN", "#room", List.of(), List.of()),
                new Case("/join room secret", null, "JOIN", "#room", List.of("secret"), List.of()),
                new Case("/JOIN #Room", null, "JOIN", "#Room", List.of(), List.of()),
                new Case("/part", "#room", "PART", "#room", List.of(), List.of()),
                new Case("/part bye all", "#room", "PART", "#room", List.of(), List.of("bye all")),
                new Case("/part #other gone", "#room", "PART", "#other", List.of(), List.of("gone")),
                new Case("/msg bob hi there", null, "PRIVMSG", "bob", List.of(), List.of("hi there")),
                new Case("/msg bob@beta hi", "#room", "PRIVMSG", "bob@beta", List.of(), List.of("hi")),
                new Case("/me waves", "#room", "PRIVMSG", "#room", List.of(), List.of("\u0001ACTION waves\u0001")),
                new Case("/nick alice2", null, "NICK", null, List.of(), List.of("alice2")),
                new Case("/topic", "#room", "TOPIC", "#room", List.of(), List.of()),
                new Case("/topic new topic", "#room", "TOPIC", "#room", List.of(), List.of("new topic")),
                new Case("/topic #x hello", null, "TOPIC", "#x", List.of(), List.of("hello")),
                new Case("/away lunch", null, "AWAY", null, List.of(), List.of("lunch")),
                new Case("/away", null, "AWAY", null, List.of(), List.of()),
                new Case("/whois bob", null, "WHOIS", "bob", List.of(), List.of()),
                new Case("/names", "#room", "NAMES", "#room", List.of(), List.of()),
                new Case("/names #x", null, "NAMES", "#x", List.of(), List.of()),
                new Case("/list", null, "LIST", null, List.of(), List.of()));
        for (Case c : cases) {
            Envelope e = sent(c.line(), c.current());
            assertThat(e.command()).as(c.line()).isEqualTo(c.command());
            assertThat(e.to()).as(c.line()).isEqualTo(c.to());
            assertThat(e.params()).as(c.line()).isEqualTo(c.params());
            assertThat(e.bodyLines()).as(c.line()).isEqualTo(c.body());
        }
    }

    @Test
    void quit_carries_its_reason() {
        Input input = InputParser.parse("/quit see you", "#room");
        assertThat(input).isInstanceOf(Input.Quit.class);
        Envelope e = ((Input.Quit) input).envelope();
        assertThat(e.command()).isEqualTo("QUIT");
        assertThat(e.bodyLines()).containsExactly("see you");
        assertThat(((Input.Quit) InputParser.parse("/quit", null)).envelope().body()).isNull();
    }

    @Test
    void window_switching() {
        assertThat(InputParser.parse("/window 3", null)).isEqualTo(new Input.Select(3));
        assertThat(InputParser.parse("/win 2", null)).isEqualTo(new Input.Select(2));
        assertThat(InputParser.parse("/4", null)).isEqualTo(new Input.Select(4));
        assertThat(problem("/window x", null)).contains("/window N");
    }

    @Test
    void local_commands() {
        assertThat(InputParser.parse("/help", null)).isEqualTo(new Input.Help());
        assertThat(InputParser.parse("/query bob", null)).isEqualTo(new Input.Query("bob"));
        assertThat(InputParser.parse("   ", "#room")).isEqualTo(new Input.Nothing());
    }

    @Test
    void usage_problems() {
        assertThat(problem("/join", null)).contains("Usage: /join");
        assertThat(problem("/join #bad!name", null)).contains("Not a channel");
        assertThat(problem("/part", null)).contains("Usage: /part");
        assertThat(problem("/msg bob", null)).contains("Usage: /msg");
        assertThat(problem("/me waves", null)).contains("/me");
        assertThat(problem("/nick", null)).contains("Usage: /nick");
        assertThat(problem("/whois", null)).contains("Usage: /whois");
        assertThat(problem("/topic hi", null)).contains("Usage: /topic");
        assertThat(problem("/frobnicate", null)).isEqualTo("Unknown command: /frobnicate (try /help)");
    }

    @Test
    void help_lists_every_command_the_parser_knows() {
        for (String command : List.of("/join", "/part", "/msg", "/notice", "/query", "/me", "/nick", "/topic", "/away", "/whois",
                "/names", "/list", "/mode", "/kick", "/invite", "/lusers", "/motd", "/ping", "/quote", "/trust", "/key",
                "/window", "/quit", "/help")) {
            Pattern named = Pattern.compile("(^|[\\s,(])" + Pattern.quote(command) + "(?=[\\s,)])");
            assertThat(InputParser.HELP).as(command).anyMatch(line -> named.matcher(line).find());
            Input parsed = InputParser.parse(command, "#room");
            assertThat(parsed instanceof Input.Problem p ? p.message() : "known").as(command).doesNotStartWith("Unknown command");
        }
    }

    @Test
    void operator_and_raw_commands() {
        Envelope mode = sent("/mode +o bob", "#room");
        assertThat(List.of(mode.command(), mode.to(), String.join(" ", mode.params()))).containsExactly("MODE", "#room", "+o bob");
        assertThat(sent("/mode #other +k secret", "#room").to()).isEqualTo("#other");
        Envelope kick = sent("/kick bob spamming again", "#room");
        assertThat(List.of(kick.command(), kick.to(), kick.param(0), kick.firstLine())).containsExactly("KICK", "#room", "bob", "spamming again");
        Envelope invite = sent("/invite bob", "#room");
        assertThat(List.of(invite.command(), invite.to(), invite.param(0))).containsExactly("INVITE", "bob", "#room");
        Envelope notice = sent("/notice #room heads up", null);
        assertThat(List.of(notice.command(), notice.to(), notice.firstLine())).containsExactly("NOTICE", "#room", "heads up");
        Envelope quote = sent("/quote topic #room :a new topic", null);
        assertThat(List.of(quote.command(), quote.to(), quote.firstLine())).containsExactly("TOPIC", "#room", "a new topic");
        assertThat(InputParser.parse("/trust carol@beta", null)).isEqualTo(new Input.Trust("carol@beta"));
        assertThat(problem("/kick bob", null)).contains("Usage: /kick");
    }
}
