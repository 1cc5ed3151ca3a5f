package chatd.server.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.server.core.Channel;
import chatd.server.core.RemoteUser;
import org.junit.jupiter.api.Test;

/** The pure pieces behind OPER and LIST: operator credentials and ELIST filters. */
class OperatorsAndFiltersTest {
    @Test
    void operators_admit_only_their_own_name_and_password() {
        Operators ops = Operators.parse("admin:s3cret, ops2:other:with:colons");
        assertThat(ops.admits("admin", "s3cret")).isTrue();
        assertThat(ops.admits("admin", "S3CRET")).isFalse();
        assertThat(ops.admits("ops2", "other:with:colons")).isTrue();
        assertThat(ops.admits("nobody", "s3cret")).isFalse();
        assertThat(Operators.NONE.admits("admin", "s3cret")).isFalse();
        assertThat(Operators.parse("").admits("", "")).isFalse();
        assertThatThrownBy(() -> Operators.parse("nopassword")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Operators.parse("admin:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void list_filters_combine_masks_exclusions_and_member_counts() {
        Channel small = channel("#chat-small", 1);
        Channel big = channel("#chat-big", 3);
        Channel other = channel("#other", 3);
        assertThat(ChannelFilter.parse(null).accepts(small)).isTrue();
        assertThat(ChannelFilter.parse("#chat*").accepts(other)).isFalse();
        assertThat(ChannelFilter.parse("#chat*,!*big").accepts(big)).isFalse();
        assertThat(ChannelFilter.parse("#chat*,!*big").accepts(small)).isTrue();
        assertThat(ChannelFilter.parse(">2").accepts(small)).isFalse();
        assertThat(ChannelFilter.parse(">2").accepts(big)).isTrue();
        assertThat(ChannelFilter.parse("<2").accepts(small)).isTrue();
        assertThat(ChannelFilter.parse("#chat*,>2").accepts(other)).isFalse();
    }

    private static Channel channel(String name, int members) {
        Channel c = new Channel(name, 0);
        for (int i = 0; i < members; i++) {
            c.add(new RemoteUser("u" + i, "peer"), false);
        }
        return c;
    }
}
