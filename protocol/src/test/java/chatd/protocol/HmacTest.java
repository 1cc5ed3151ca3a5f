package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HmacTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUESTION = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

    /** RFC 4231 §4.2 and §4.3 (test cases 1 and 2), plus the well-known empty-key, empty-message MAC. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rfc4231 case 1, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "rfc4231 case 2, 4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f, 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "empty key and message, '', '', b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
    })
    void known_answers(String name, String keyHex, String messageHex, String macHex) {
        byte[] key = HEX.parseHex(keyHex);
        byte[] message = HEX.parseHex(messageHex);

        assertThat(HEX.formatHex(Hmac.sha256(key, message))).isEqualTo(macHex);
        assertThat(Hmac.verify(key, message, HEX.parseHex(macHex))).isTrue();
    }

    @Test
    void verify_rejects_a_mac_that_differs_anywhere() {
        byte[] mac = Hmac.sha256(JEFE, QUESTION);
        for (int i = 0; i < mac.length; i++) {
            byte[] forged = mac.clone();
            forged[i] ^= 1;
            assertThat(Hmac.verify(JEFE, QUESTION, forged)).as("flipped byte %d", i).isFalse();
        }
    }

    @Test
    void verify_rejects_wrong_key_message_truncation_and_null() {
        byte[] mac = Hmac.sha256(JEFE, QUESTION);

        assertThat(Hmac.verify(JEFE, QUESTION, mac)).isTrue();
        assertThat(Hmac.verify("jefe".getBytes(StandardCharsets.US_ASCII), QUESTION, mac)).isFalse();
        assertThat(Hmac.verify(JEFE, "what do ya want for nothing!".getBytes(StandardCharsets.US_ASCII), mac)).isFalse();
        assertThat(Hmac.verify(JEFE, QUESTION, Arrays.copyOf(mac, 16))).isFalse();
        assertThat(Hmac.verify(JEFE, QUESTION, new byte[0])).isFalse();
        assertThat(Hmac.verify(JEFE, QUESTION, null)).isFalse();
    }
}
