package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Envelope;
import chatd.server.core.Inbox;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An entry going to many IRC connections is decoded at most once, and rendered once per set of capabilities. */
class SharedRenderingTest {
    private static final String JSON = "{\"id\":\"m1\",\"ts\":\"2026-12-03T10:00:00.123Z\",\"command\":\"PRIVMSG\","
            + "\"from\":\"alice\",\"to\":\"#bench\",\"body\":[\"hello\"]}";

    private final DecodedEntries decoded = new DecodedEntries();
    private final RenderedLines rendered = new RenderedLines(new IrcRenderer("alpha", nick -> false));

    @Test
    void the_same_entry_is_decoded_once_and_other_bytes_under_the_same_seq_are_decoded_afresh() throws Exception {
        Inbox.Entry entry = entry(7, JSON);
        Envelope first = decoded.decode(entry);
        assertThat(decoded.decode(entry)).isSameAs(first);
        assertThat(first.body().get(0).asText()).isEqualTo("hello");

        Inbox.Entry other = entry(7, JSON.replace("hello", "bye")); // another server's seq 7, or a slot reused
        assertThat(decoded.decode(other).body().get(0).asText()).isEqualTo("bye");
        assertThat(decoded.decode(entry(7 + 1024, JSON))).as("same slot, other entry").isNotSameAs(first);
    }

    @Test
    void an_entry_committed_here_is_delivered_as_the_envelope_it_was_written_from_without_parsing() throws Exception {
        Envelope committed = Envelope.of("PRIVMSG", "alice", "#bench", List.of(), List.of("hello"));
        Inbox.Entry entry = new Inbox.Entry(8, 0, "not json".getBytes(StandardCharsets.UTF_8), committed);
        assertThat(decoded.decode(entry)).isSameAs(committed);
    }

    @Test
    void lines_are_shared_by_connections_with_the_same_capabilities_only() throws Exception {
        Envelope e = decoded.decode(entry(9, JSON));
        Set<IrcCaps> plain = EnumSet.noneOf(IrcCaps.class);
        Set<IrcCaps> timed = EnumSet.of(IrcCaps.SERVER_TIME);

        List<IrcLine> forPlain = rendered.render(e, plain);
        assertThat(forPlain).extracting(IrcLine::toWire).containsExactly(":alice!alice@alpha PRIVMSG #bench :hello");
        assertThat(rendered.render(e, EnumSet.noneOf(IrcCaps.class))).isSameAs(forPlain);

        List<IrcLine> forTimed = rendered.render(e, timed);
        assertThat(forTimed).extracting(IrcLine::toWire)
                .containsExactly("@time=2026-12-03T10:00:00.123Z :alice!alice@alpha PRIVMSG #bench :hello");
        assertThat(rendered.render(e, plain)).as("the other capabilities' rendering was replaced, not reused")
                .extracting(IrcLine::toWire).containsExactly(":alice!alice@alpha PRIVMSG #bench :hello");
    }

    private static Inbox.Entry entry(long seq, String json) {
        return new Inbox.Entry(seq, 0, json.getBytes(StandardCharsets.UTF_8));
    }
}
