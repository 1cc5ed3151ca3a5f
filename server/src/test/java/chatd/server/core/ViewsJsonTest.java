package chatd.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The views' JSON is SPEC §6's: the records' component names are the field names, and {@code away} only while away. */
class ViewsJsonTest {
    @Test
    void state_names_its_fields_as_the_api_does_and_leaves_out_away_when_present() {
        var channels = List.of(new Views.JoinedChannel("#general", "hello"));
        assertThat(Json.write(new Views.UserState(7, "alice", null, channels)))
                .isEqualTo("{\"id\":7,\"nick\":\"alice\",\"channels\":[{\"name\":\"#general\",\"topic\":\"hello\"}]}");
        assertThat(Json.write(new Views.UserState(7, "alice", "lunch", List.of())))
                .isEqualTo("{\"id\":7,\"nick\":\"alice\",\"away\":\"lunch\",\"channels\":[]}");
    }

    @Test
    void channel_list_and_members_name_their_fields_as_the_api_does() {
        assertThat(Json.write(new Views.ListedChannel("#general", "", 3)))
                .isEqualTo("{\"name\":\"#general\",\"topic\":\"\",\"members\":3}");
        assertThat(Json.write(new Views.ChannelMember("bob@beta", "beta", "o", null, "online")))
                .isEqualTo("{\"nick\":\"bob@beta\",\"server\":\"beta\",\"modes\":\"o\",\"presence\":\"online\"}");
        assertThat(Json.write(new Views.ChannelMember("bob", "alpha", "", "brb", "away")))
                .isEqualTo("{\"nick\":\"bob\",\"server\":\"alpha\",\"modes\":\"\",\"away\":\"brb\",\"presence\":\"away\"}");
    }
}
