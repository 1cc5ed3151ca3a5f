package chatd.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.server.core.ChatError;
import org.junit.jupiter.api.Test;

/** The long-poll reads its query itself; these are the cases a full decoder would also get right. */
class PollRouteTest {
    @Test
    void finds_a_parameter_by_its_whole_name() {
        assertThat(PollRoute.parameter("xafter=1&after=2&timeout=0", "after")).isEqualTo("2");
        assertThat(PollRoute.parameter("after=7", "after")).isEqualTo("7");
        assertThat(PollRoute.parameter("after=&limit=3", "after")).isEmpty();
        assertThat(PollRoute.parameter("after&limit=3", "after")).isNull();
        assertThat(PollRoute.parameter("limit=3", "after")).isNull();
        assertThat(PollRoute.parameter(null, "after")).isNull();
    }

    @Test
    void decodes_only_what_is_encoded() {
        assertThat(PollRoute.parameter("after=%35", "after")).isEqualTo("5");
        assertThat(PollRoute.parameter("after=+5", "after")).isEqualTo(" 5");
        assertThatThrownBy(() -> PollRoute.parameter("after=%zz", "after"))
                .isInstanceOfSatisfying(ChatError.class, e -> assertThat(e.kind()).isEqualTo(ChatError.Kind.INVALID_REQUEST));
    }
}
