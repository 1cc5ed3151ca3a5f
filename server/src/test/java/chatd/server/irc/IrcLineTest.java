package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The pure pieces: line grammar, framing, nick mapping, translation both ways, flood budget. */
class IrcLineTest {

    @Test
    void parses_tags_source_command_middle_and_trailing() {
        IrcLine l = IrcLine.parse("@time=2024-01-01T00:00:00.000Z;+x=a\\sb\\:c :nick!u@h privmsg #chan  :hello there");
        assertThat(l.tags()).containsExactly(Map.entry("time", "2024-01-01T00:00:00.000Z"), Map.entry("+x", "a b;c"));
        assertThat(l.source()).isEqualTo("nick!u@h");
        assertThat(l.command()).isEqualTo("PRIVMSG");
        assertThat(l.params()).containsExactly("#chan", "hello there");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NICK alice|NICK|alice",
        "USER u 0 * :Real Name|USER|u,0,*,Real Name",
        "PRIVMSG #x ::-)|PRIVMSG|#x,:-)",
        "MODE #x +o  bob|MODE|#x,+o,bob",
        "TOPIC #x :|TOPIC|#x,",
    })
    void parses_parameters(String line, String command, String params) {
        IrcLine l = IrcLine.parse(line);
        assertThat(l.command()).isEqualTo(command);
        assertThat(String.join(",", l.params())).isEqualTo(params);
    }

    @Test
    void blank_lines_are_ignored() {
        assertThat(IrcLine.parse("")).isNull();
        assertThat(IrcLine.parse("   ")).isNull();
        assertThat(IrcLine.parse(":src")).isNull();
    }

    @Test
    void serialises_with_a_trailing_colon_only_where_needed_or_asked() {
        assertThat(IrcLine.of("s", "MODE", "#x", "+o", "bob").toWire()).isEqualTo(":s MODE #x +o bob");
        assertThat(IrcLine.of("s", "PRIVMSG", "#x", "hi").withTrailing().toWire()).isEqualTo(":s PRIVMSG #x :hi");
        assertThat(IrcLine.of("s", "TOPIC", "#x", "").toWire()).isEqualTo(":s TOPIC #x :");
        assertThat(IrcLine.of("s", "X", ":y").toWire()).isEqualTo(":s X ::y");
        assertThat(IrcLine.of(null, "PING", "a b").withTags(Map.of("k", "v;w x")).toWire()).isEqualTo("@k=v\\:w\\sx PING :a b");
    }

    @Test
    void frames_crlf_and_lf_and_reports_overlong_lines_without_losing_the_next() throws Exception {
        byte[] input = ("A\r\nB\n" + "x".repeat(50) + "\nC\r\n").getBytes(StandardCharsets.UTF_8);
        LineReader r = new LineReader(new ByteArrayInputStream(input), 20);
        assertThat(r.next()).isEqualTo(new LineReader.Line("A", false));
        assertThat(r.next()).isEqualTo(new LineReader.Line("B", false));
        assertThat(r.next().tooLong()).isTrue();
        assertThat(r.next()).isEqualTo(new LineReader.Line("C", false));
        assertThat(r.next()).isNull();
    }

    @Test
    void a_line_split_over_reads_and_a_read_timeout_is_framed_whole() throws Exception {
        // "héllo" with its two-byte é cut between two reads, a timeout in between, then two lines in one read
        byte[] first = "PRIVMSG #x :h\u00c3".getBytes(StandardCharsets.ISO_8859_1);
        byte[] second = "\u00a9llo\r\nA\nB".getBytes(StandardCharsets.ISO_8859_1);
        java.util.Deque<Object> reads = new java.util.ArrayDeque<>(List.of(first, new java.net.SocketTimeoutException(), second,
                "\r\n".getBytes(StandardCharsets.UTF_8)));
        java.io.InputStream in = new java.io.InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                Object next = reads.poll();
                if (next == null) {
                    return -1;
                }
                if (next instanceof java.io.IOException e) {
                    throw e;
                }
                byte[] bytes = (byte[]) next;
                System.arraycopy(bytes, 0, b, off, bytes.length);
                return bytes.length;
            }
        };
        LineReader r = new LineReader(in, 100);
        org.assertj.core.api.Assertions.assertThatThrownBy(r::next).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(r.next()).isEqualTo(new LineReader.Line("PRIVMSG #x :h\u00e9llo", false));
        assertThat(r.next()).isEqualTo(new LineReader.Line("A", false));
        assertThat(r.next()).isEqualTo(new LineReader.Line("B", false));
        assertThat(r.next()).isNull();
    }

    @Test
    void a_line_of_the_longest_length_is_taken_and_one_byte_more_is_refused() throws Exception {
        String longest = "x".repeat(20);
        byte[] input = (longest + "\r\n" + longest + "x\r\n" + longest + "\n").getBytes(StandardCharsets.UTF_8);
        LineReader r = new LineReader(new ByteArrayInputStream(input), 20);
        assertThat(r.next()).isEqualTo(new LineReader.Line(longest, false));
        assertThat(r.next().tooLong()).isTrue();
        assertThat(r.next()).isEqualTo(new LineReader.Line(longest, false));
    }

    @Test
    void latin1_lines_are_read_as_latin1_and_marked_not_utf8() throws Exception {
        byte[] input = {'c', 'a', 'f', (byte) 0xE9, '\n'};
        LineReader.Line line = new LineReader(new ByteArrayInputStream(input), 100).next();
        assertThat(line.text()).isEqualTo("café");
        assertThat(line.utf8()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"bob@beta,bob/beta", "@+bob@beta.example,@+bob/beta.example", "bob,bob", "*!*@host,*!*@host",
        "[b-o]{b}|9@be-ta.1,[b-o]{b}|9/be-ta.1", "@bob,@bob", "+@bob,+@bob"})
    void remote_nicks_map_one_to_one(String core, String irc) {
        assertThat(IrcNicks.toIrc(core)).isEqualTo(irc);
        if (!core.startsWith("@") && !core.startsWith("*")) {
            assertThat(IrcNicks.toCore(irc)).isEqualTo(core);
        }
    }

    @ParameterizedTest
    @CsvSource({"9bob@beta", "-bob@beta", "bob@Beta", "bob@", "@beta", "bob@beta@gamma", "bob@be_ta", "b.ob@beta",
        "abcdefghijklmnopqrstuvwxyzabcdefg@beta", "#chan@beta", "bob!u@beta"})
    void words_that_are_not_a_remote_nick_stay_as_they_are(String word) {
        assertThat(IrcNicks.toIrc(word)).isEqualTo(word);
    }

    @Test
    void a_nick_of_32_characters_and_a_server_name_of_63_are_remote_nicks() {
        String nick = "a".repeat(32);
        String server = "b".repeat(63);
        assertThat(IrcNicks.toIrc(nick + "@" + server)).isEqualTo(nick + "/" + server);
        assertThat(IrcNicks.toIrc(nick + "@" + server + "b")).isEqualTo(nick + "@" + server + "b");
    }

    @Test
    void a_line_is_written_as_its_wire_form_with_crlf() {
        IrcLine line = IrcLine.of("alice!alice@alpha", "PRIVMSG", "#x", "héllo").withTrailing()
                .withTags(Map.of("time", "2026-12-03T10:00:00.123Z"));
        assertThat(new String(line.wireBytes(), StandardCharsets.UTF_8))
                .isEqualTo("@time=2026-12-03T10:00:00.123Z :alice!alice@alpha PRIVMSG #x :héllo\r\n");
        assertThat(line.wireBytes()).as("made once").isSameAs(line.wireBytes());
        assertThat(line).isEqualTo(IrcLine.parse(line.toWire())).hasSameHashCodeAs(IrcLine.parse(line.toWire()));
    }

    @Test
    void inbound_lines_become_envelopes_with_remote_nicks_translated() {
        List<Envelope> dm = IrcInbound.translate(IrcLine.parse("PRIVMSG bob/beta,#x :hi"));
        assertThat(dm).extracting(Envelope::to).containsExactly("bob@beta", "#x");
        assertThat(dm).allSatisfy(e -> assertThat(e.bodyLines()).containsExactly("hi"));
        assertThat(dm.get(0).id()).isNotEqualTo(dm.get(1).id());
        Envelope kick = IrcInbound.translate(IrcLine.parse("KICK #x bob/beta :out")).getFirst();
        assertThat(kick.to()).isEqualTo("#x");
        assertThat(kick.params()).containsExactly("bob@beta");
        assertThat(kick.bodyLines()).containsExactly("out");
        Envelope invite = IrcInbound.translate(IrcLine.parse("INVITE bob #x")).getFirst();
        assertThat(invite.to()).isEqualTo("bob");
        assertThat(invite.params()).containsExactly("#x");
        assertThat(IrcInbound.translate(IrcLine.parse("WHOIS srv bob/beta")).getFirst().to()).isEqualTo("bob@beta");
    }

    @Test
    void outbound_envelopes_become_classic_lines() {
        IrcRenderer r = new IrcRenderer("alpha", nick -> false);
        Envelope msg = Envelope.of("PRIVMSG", "bob@beta", "#x", List.of(), List.of("one", "two"));
        assertThat(r.render(msg, IrcCaps.none())).extracting(IrcLine::toWire)
                .containsExactly(":bob/beta!bob@beta PRIVMSG #x :one", ":bob/beta!bob@beta PRIVMSG #x :two");
        Envelope names = Envelope.of("353", "alpha", "alice", List.of("=", "#x"), List.of("@+op alice bob@beta"));
        assertThat(r.render(names, IrcCaps.none()).getFirst().toWire()).isEqualTo(":alpha 353 alice = #x :@op alice bob/beta");
        Envelope nick = Envelope.of("NICK", "bob@beta", null, List.of(), List.of("robert@beta"));
        assertThat(r.render(nick, IrcCaps.none()).getFirst().toWire()).isEqualTo(":bob/beta!bob@beta NICK :robert/beta");
        Envelope pubkey = Envelope.of("PUBKEY", "bob", "#x", List.of(), null);
        assertThat(r.render(pubkey, IrcCaps.none())).isEmpty();
    }

    @Test
    void long_text_is_split_where_a_client_could_have_sent_it_without_cutting_characters() {
        IrcRenderer r = new IrcRenderer("alpha", nick -> false);
        String text = "é".repeat(400);
        List<IrcLine> lines = r.render(Envelope.of("PRIVMSG", "bob", "#x", List.of(), List.of(text)), IrcCaps.none());
        // each piece is what a client may send in one line ("PRIVMSG #x " + text + CR-LF <= 512 bytes)
        assertThat(lines).hasSizeGreaterThan(1).allSatisfy(l -> assertThat(
                IrcLine.of(null, "PRIVMSG", "#x", l.last()).messageBytes()).isLessThanOrEqualTo(512));
        assertThat(String.join("", lines.stream().map(IrcLine::last).toList())).isEqualTo(text);
    }

    @Test
    void a_line_an_irc_client_sent_whole_is_relayed_whole_even_past_512_bytes_with_the_prefix() {
        IrcRenderer r = new IrcRenderer("alpha", nick -> false);
        String text = "b".repeat(512 - "PRIVMSG #x ".length() - 2);
        List<IrcLine> lines = r.render(Envelope.of("PRIVMSG", "somebody-long", "#x", List.of(), List.of(text)), IrcCaps.none());
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().last()).isEqualTo(text);
    }

    void login_names_carry_a_device() {
        assertThat(IrcCredentials.of("alice/laptop", "pw")).isEqualTo(new IrcCredentials("alice", "laptop", "pw"));
        assertThat(IrcCredentials.of("alice", "pw")).isEqualTo(new IrcCredentials("alice", "irc", "pw"));
        assertThat(IrcCredentials.fromPass("alice/phone:s3cret:x", "u", "n")).isEqualTo(new IrcCredentials("alice", "phone", "s3cret:x"));
        assertThat(IrcCredentials.fromPass("s3cret", "alice/desk", "al")).isEqualTo(new IrcCredentials("alice", "desk", "s3cret"));
        assertThat(IrcCredentials.fromPass("s3cret", "al", "alice")).isEqualTo(new IrcCredentials("alice", "irc", "s3cret"));
        assertThat(IrcCredentials.fromSaslPlain("\0alice/laptop\0pw".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new IrcCredentials("alice", "laptop", "pw"));
    }

    @Test
    void labeled_replies_are_an_ack_one_labeled_line_or_a_labeled_batch() {
        LabeledReplies labels = new LabeledReplies("alpha");
        assertThat(labels.wrap("x1", List.of(), true)).extracting(IrcLine::toWire).containsExactly("@label=x1 :alpha ACK");
        IrcLine pong = IrcLine.of("alpha", "PONG", "alpha", "tok");
        assertThat(labels.wrap("x2", List.of(pong), true)).extracting(IrcLine::toWire)
                .containsExactly("@label=x2 :alpha PONG alpha tok");
        IrcLine names = IrcLine.of("alpha", "353", "me", "=", "#c", "@me").withTrailing();
        IrcLine end = IrcLine.of("alpha", "366", "me", "#c", "End").withTrailing();
        assertThat(labels.wrap("x3", List.of(names, end), true)).extracting(IrcLine::toWire).containsExactly(
                "@label=x3 :alpha BATCH +L1 labeled-response",
                "@batch=L1 :alpha 353 me = #c :@me",
                "@batch=L1 :alpha 366 me #c :End",
                ":alpha BATCH -L1");
    }
}
