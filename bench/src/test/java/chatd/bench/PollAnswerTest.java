package chatd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollAnswerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> got = new ArrayList<>();
    private final PollAnswer.Sink sink = (sender, seq, sent) -> got.add(sender + "/" + seq + "/" + sent);

    private static Map<String, Object> envelope(String command, Object... body) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", "m-1");
        // Strings a naive scanner would trip over, before and after the fields that matter.
        e.put("source", Map.of("nick", "a\"}],b", "tags", Arrays.asList(1, Map.of("x", "]}\\"), true, null)));
        e.put("command", command);
        e.put("params", List.of("#c"));
        e.put("body", List.of(body));
        e.put("ts", 1.5e3);
        return e;
    }

    @Test
    void readsBenchmarkMessagesCursorAndDropsFromAnAnswerInAnyLayout() throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messages", List.of(
                envelope("PRIVMSG", "b:3:17:123456789", "ignored"),
                envelope("NOTICE", "b:9:9:9"),
                envelope("PRIVMSG", "hello \"b:1:1:1\""),
                envelope("PRIVMSG", "b:4:0:-42"),
                envelope("JOIN")));
        answer.put("last_id", 912);
        answer.put("dropped", 3);
        for (String json : List.of(JSON.writeValueAsString(answer), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer))) {
            got.clear();
            PollAnswer.Result r = PollAnswer.read(json.getBytes(StandardCharsets.UTF_8), 7, sink);
            assertThat(got).containsExactly("3/17/123456789", "4/0/-42");
            assertThat(r).isEqualTo(new PollAnswer.Result(912, 3));
        }
    }

    @Test
    void anEmptyAnswerKeepsTheCursorWhenTheServerGivesNone() throws IOException {
        assertThat(PollAnswer.read(bytes("{\"messages\":[],\"last_id\":5}"), 1, sink)).isEqualTo(new PollAnswer.Result(5, 0));
        assertThat(PollAnswer.read(bytes("{ }"), 8, sink)).isEqualTo(new PollAnswer.Result(8, 0));
        assertThat(got).isEmpty();
    }

    @Test
    void whatIsNotAPollAnswerIsAnError() {
        assertThatThrownBy(() -> PollAnswer.read(bytes("{\"messages\":[{\"command\":\"PRIVMSG\",\"body\":[\"b:1:2"), 0, sink))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PollAnswer.read(bytes("[1,2]"), 0, sink)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PollAnswer.read(bytes("{\"messages\":[{\"command\":\"PRIVMSG\",\"body\":[\"b:x:2:3\"]}]}"), 0, sink))
                .isInstanceOf(IOException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
