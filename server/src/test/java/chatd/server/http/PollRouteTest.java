package chatd.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.server.core.ChatError;
import chatd.server.core.Inbox;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The long-poll reads its query and writes its answer itself; these are the cases a full decoder and a
 * JSON writer would also get right.
 */
class PollRouteTest {
    @Test
    void finds_a_parameter_by_its_whole_name() {
        assertThat(QueryParams.parameter("xafter=1&after=2&timeout=0", "after")).isEqualTo("2");
        assertThat(QueryParams.parameter("after=7", "after")).isEqualTo("7");
        assertThat(QueryParams.parameter("after=&limit=3", "after")).isEmpty();
        assertThat(QueryParams.parameter("after&limit=3", "after")).isNull();
        assertThat(QueryParams.parameter("limit=3", "after")).isNull();
        assertThat(QueryParams.parameter(null, "after")).isNull();
    }

    @Test
    void decodes_only_what_is_encoded() {
        assertThat(QueryParams.parameter("after=%35", "after")).isEqualTo("5");
        assertThat(QueryParams.parameter("after=+5", "after")).isEqualTo(" 5");
        assertThatThrownBy(() -> QueryParams.parameter("after=%zz", "after"))
                .isInstanceOfSatisfying(ChatError.class, e -> assertThat(e.kind()).isEqualTo(ChatError.Kind.INVALID_REQUEST));
    }

    @Test
    void writes_the_stored_envelopes_as_they_are() {
        Inbox.Entry a = new Inbox.Entry(7, 0, "{\"command\":\"PRIVMSG\"}".getBytes(StandardCharsets.UTF_8));
        Inbox.Entry b = new Inbox.Entry(9, 0, "{\"command\":\"JOIN\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(text(new Inbox.Batch(List.of(), 5, 0))).isEqualTo("{\"messages\":[],\"last_id\":5}");
        assertThat(text(new Inbox.Batch(List.of(a), 7, 0))).isEqualTo("{\"messages\":[{\"command\":\"PRIVMSG\"}],\"last_id\":7}");
        assertThat(text(new Inbox.Batch(List.of(a, b), 9, 3)))
                .isEqualTo("{\"messages\":[{\"command\":\"PRIVMSG\"},{\"command\":\"JOIN\"}],\"last_id\":9,\"dropped\":3}");
    }

    private static String text(Inbox.Batch batch) {
        return new String(PollRoute.body(batch), StandardCharsets.UTF_8);
    }

    @Test
    void reads_the_age_of_an_envelope_from_its_stamp() {
        String ts = java.time.Instant.ofEpochMilli(System.currentTimeMillis() - 5_000).toString();
        byte[] json = ("{\"id\":\"56a54f1a-ec4b-4501-a2c6-0255a462a7a2\",\"ts\":\"" + ts + "\",\"command\":\"PRIVMSG\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(PollRoute.stampAge(json)).isBetween(5_000L, 65_000L);
        assertThat(PollRoute.stampAge("{\"command\":\"PING\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(PollRoute.stampAge("{\"ts\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    void reads_a_stamp_by_its_digits_as_instant_writes_it() {
        for (long millis : new long[] {0, 1_764_754_501_123L, 1_764_754_501_000L, 951_782_400_999L, 4_102_444_799_999L}) {
            String ts = java.time.Instant.ofEpochMilli(millis).toString();
            assertThat(PollRoute.epochMillis(ts.getBytes(StandardCharsets.US_ASCII), 0)).as(ts).isEqualTo(millis);
        }
        for (String bad : new String[] {"2026-13-01T00:00:00Z", "2026-12-03T09:15:01.12Z", "2026-12-03 09:15:01Z", "2026-12-03T09:15"}) {
            assertThat(PollRoute.epochMillis(bad.getBytes(StandardCharsets.US_ASCII), 0)).as(bad).isEqualTo(-1);
        }
    }
}
