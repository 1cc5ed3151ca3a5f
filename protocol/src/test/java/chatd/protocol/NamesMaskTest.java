package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesMaskTest {
    @ParameterizedTest
    @CsvSource({
            "*, coolNick, true",
            "coolni*, coolNick, true",
            "COOLNICK, coolNick, true",
            "c?olNick, coolNick, true",
            "*Nick, coolNick, true",
            "*o*o*, coolNick, true",
            "cool, coolNick, false",
            "?, ab, false",
            "#chan*, #chan1, true",
            "#chan*, #other, false",
            "a*b*c, aXbYc, true",
            "a*b*c, aXbYcZ, false"})
    void masks_match_case_insensitively_with_star_and_question_mark(String mask, String text, boolean matches) {
        assertThat(Names.maskMatches(mask, text)).isEqualTo(matches);
    }
}
