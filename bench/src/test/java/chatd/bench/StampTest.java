package chatd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StampTest {
    @Test
    void aStampSurvivesItsTextIncludingANegativeNanoTime() {
        for (Stamp s : new Stamp[] {new Stamp(0, 0, 0), new Stamp(9, 123_456, Long.MAX_VALUE), new Stamp(3, 7, -42)}) {
            assertThat(Stamp.parse(s.text())).isEqualTo(s);
        }
        assertThat(new Stamp(3, 17, 123456789).text()).isEqualTo("b:3:17:123456789");
    }

    @Test
    void anyOtherTextIsNoStamp() {
        for (String text : new String[] {null, "", "hello", "probe:3", "b:", "b:1", "b:1:2", "b:1:2:", "b:x:2:3", "b:1:2:3:4",
                "b:-1:2:3", "b:1:-2:3", " b:1:2:3", "B:1:2:3", "b:1:2:3 ", "b:99999999999:2:3"}) {
            assertThat(Stamp.parse(text)).as(String.valueOf(text)).isNull();
        }
    }
}
