package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire form of an envelope (SPEC §2): fields in order, absent ones left out, and read back as written. */
class EnvelopeJsonTest {

    @Test
    void a_delivered_message_is_written_field_by_field_without_absent_ones() {
        Envelope e = new Envelope("m1", "2026-12-03T10:00:00.123Z", "PRIVMSG", "alice", "#bench", List.of(),
                Envelope.lines(List.of("hé \"quoted\"", "")), "alpha", null);
        assertThat(Json.write(e)).isEqualTo("{\"id\":\"m1\",\"ts\":\"2026-12-03T10:00:00.123Z\",\"command\":\"PRIVMSG\","
                + "\"from\":\"alice\",\"to\":\"#bench\",\"params\":[],\"body\":[\"hé \\\"quoted\\\"\",\"\"],\"origin\":\"alpha\"}");
    }

    @Test
    void params_a_structured_body_and_meta_are_written_as_given() throws Exception {
        ObjectNode meta = Json.MAPPER.createObjectNode();
        meta.putObject("tags").put("+typing", "active");
        meta.put("bot", true);
        ObjectNode body = Json.MAPPER.createObjectNode().put("alg", "ed25519").put("key", "abc");
        Envelope e = new Envelope(null, null, "MODE", null, "#c", List.of("+o", "bob@beta"), body, null, meta);
        String json = Json.write(e);
        assertThat(json).isEqualTo("{\"command\":\"MODE\",\"to\":\"#c\",\"params\":[\"+o\",\"bob@beta\"],"
                + "\"body\":{\"alg\":\"ed25519\",\"key\":\"abc\"},\"meta\":{\"tags\":{\"+typing\":\"active\"},\"bot\":true}}");
        assertThat(Json.MAPPER.readValue(json, Envelope.class)).isEqualTo(e);
        assertThat(new String(Json.writeBytes(e), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json);
    }
}
