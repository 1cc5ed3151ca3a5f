package chatd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IrcMessageTest {
    @Test
    void splitsPrefixCommandMiddleAndTrailingParameters() {
        IrcMessage m = IrcMessage.parse(":r5/beta!r5@beta PRIVMSG #bench :b:1:2:3 and: more");
        assertThat(m.prefix()).isEqualTo("r5/beta!r5@beta");
        assertThat(m.command()).isEqualTo("PRIVMSG");
        assertThat(m.params()).containsExactly("#bench", "b:1:2:3 and: more");
        assertThat(m.nick()).isEqualTo("r5/beta");
        assertThat(m.localNick()).isEqualTo("r5");
        assertThat(m.fromServer()).isFalse();
        assertThat(m.last()).isEqualTo("b:1:2:3 and: more");
    }

    @Test
    void skipsTagsAndExtraSpacesAndKeepsAnEmptyTrailing() {
        IrcMessage m = IrcMessage.parse("@time=2026-01-01T00:00:00.000Z;msgid=x  :alpha  NOTICE  s0  :");
        assertThat(m.prefix()).isEqualTo("alpha");
        assertThat(m.fromServer()).isTrue();
        assertThat(m.params()).containsExactly("s0", "");
    }

    @Test
    void aLineWithoutPrefixOrParameters() {
        assertThat(IrcMessage.parse("PING :alpha")).isEqualTo(new IrcMessage(null, "PING", List.of("alpha")));
        IrcMessage bare = IrcMessage.parse("QUIT");
        assertThat(bare.params()).isEmpty();
        assertThat(bare.last()).isNull();
        assertThat(bare.nick()).isNull();
        assertThat(bare.localNick()).isNull();
        assertThat(bare.param(0)).isNull();
    }

    @Test
    void numericsAreThreeDigitsOnly() {
        assertThat(IrcMessage.parse(":alpha 001 r1 :Welcome").numeric()).isEqualTo(1);
        assertThat(IrcMessage.parse(":alpha 433 * r1 :Nickname is already in use").numeric()).isEqualTo(433);
        assertThat(IrcMessage.parse(":x!y@z JOIN #bench").numeric()).isEqualTo(-1);
        assertThat(IrcMessage.parse(":x!y@z 1A3 a").numeric()).isEqualTo(-1);
        assertThat(IrcMessage.parse(":x!y@z JOIN #bench").localNick()).isEqualTo("x");
    }

    @Test
    void aLineWithNoCommandIsNothing() {
        assertThat(IrcMessage.parse("")).isNull();
        assertThat(IrcMessage.parse(":alpha")).isNull();
        assertThat(IrcMessage.parse("@a=b")).isNull();
        assertThat(IrcMessage.parse("   ")).isNull();
    }
}
