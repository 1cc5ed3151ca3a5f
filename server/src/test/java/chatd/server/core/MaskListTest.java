package chatd.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.ModeChange;
import chatd.protocol.Numeric;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** A channel's mask lists: glob matching, one entry per mask, and the list limit the rule book enforces (478). */
class MaskListTest {
    @Test
    void masks_match_as_globs_without_regard_to_case_and_are_listed_once() {
        MaskList list = new MaskList();
        assertThat(list.add("Bo?!*@beta")).isTrue();
        assertThat(list.add("bo?!*@BETA")).as("the same mask in other case").isFalse();
        assertThat(list.matches("bob!bob@beta")).isTrue();
        assertThat(list.matches("bobby!bobby@beta")).isFalse();
        assertThat(list.matches("bob!bob@alpha")).isFalse();
        assertThat(list.masks()).containsExactly("Bo?!*@beta");
        assertThat(list.remove("BO?!*@beta")).isTrue();
        assertThat(list.matches("bob!bob@beta")).isFalse();
        assertThat(list.isEmpty()).isTrue();
    }

    @Test
    void a_full_list_refuses_a_new_mask_with_478_but_takes_a_listed_one_and_removals() {
        Channel channel = new Channel("#full", 0);
        for (int i = 0; i < MaskList.LIMIT; i++) {
            channel.maskList('e').add("user" + i + "!*@*");
        }
        ChatState state = new ChatState("test", InstantSource.system());
        ChannelRules.Refusal full = ChannelRules.validate(state, channel, new ModeChange(true, 'e', "one-more!*@*"));
        assertThat(full.reason().numeric()).isEqualTo(Numeric.ERR_BANLISTFULL);
        assertThat(full.params()).containsExactly("#full", "e");
        assertThat(ChannelRules.validate(state, channel, new ModeChange(true, 'e', "user7!*@*"))).isNull();
        assertThat(ChannelRules.validate(state, channel, new ModeChange(false, 'e', "user7!*@*"))).isNull();
        assertThat(ChannelRules.validate(state, channel, new ModeChange(true, 'I', "one-more!*@*")))
                .as("each list has its own room").isNull();
    }
}
