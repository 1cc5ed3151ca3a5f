package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.protocol.Hashcash.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HashcashTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 8, 16);
    private static final String SERVER = "alpha.example";

    private static String sha256Hex(String stamp) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stamp.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', 0",
        "ff, 0",
        "80, 0",
        "40, 1",
        "01, 7",
        "00ff, 8",
        "0040, 9",
        "000001, 23",
        "00000000, 32",
        "0000000f00, 28",
    })
    void leading_zero_bits(String hex, int expected) {
        assertThat(Hashcash.leadingZeroBits(HexFormat.of().parseHex(hex))).isEqualTo(expected);
    }

    @Test
    void a_twenty_bit_stamp_is_minted_quickly_and_its_hash_starts_with_five_zero_nibbles() throws Exception {
        String stamp = Hashcash.mint(20, TODAY, SERVER, new Random(20));

        assertThat(stamp).matches("1:20:260816:alpha\\.example::[0-9a-f]{16}");
        assertThat(sha256Hex(stamp)).startsWith("00000");
        assertThat(Hashcash.verify(stamp, 20, SERVER, TODAY)).isEqualTo(Verdict.VALID);
    }

    @Test
    void random_starts_keep_two_clients_from_minting_the_same_stamp() {
        String one = Hashcash.mint(8, TODAY, SERVER, new Random(1));
        String two = Hashcash.mint(8, TODAY, SERVER, new Random(2));
        String unseeded = Hashcash.mint(8, TODAY, SERVER);

        assertThat(one).isNotEqualTo(two).isNotEqualTo(unseeded);
        assertThat(Hashcash.verify(unseeded, 8, SERVER, TODAY)).isEqualTo(Verdict.VALID);
    }

    @ParameterizedTest(name = "minted {0}, checked {1} -> {2}")
    @CsvSource({
        "2026-08-16, 2026-08-16, VALID",
        "2026-08-15, 2026-08-16, VALID",
        "2026-08-17, 2026-08-16, VALID",
        "2026-08-14, 2026-08-16, EXPIRED",
        "2026-08-18, 2026-08-16, EXPIRED",
        "2025-08-16, 2026-08-16, EXPIRED",
        "2026-12-31, 2027-01-01, VALID",
    })
    void a_day_of_skew_is_allowed_either_way(LocalDate minted, LocalDate today, Verdict expected) {
        String stamp = Hashcash.mint(4, minted, SERVER, new Random(7));
        assertThat(Hashcash.verify(stamp, 4, SERVER, today)).isEqualTo(expected);
    }

    @Test
    void a_stamp_for_another_server_is_refused() {
        String stamp = Hashcash.mint(4, TODAY, "beta.example", new Random(3));
        assertThat(Hashcash.verify(stamp, 4, SERVER, TODAY)).isEqualTo(Verdict.WRONG_RESOURCE);
    }

    @Test
    void declaring_fewer_bits_than_required_is_insufficient_even_if_the_hash_happens_to_have_them() throws Exception {
        String underclaimed = null;
        for (int counter = 0; underclaimed == null; counter++) {
            String candidate = "1:12:260816:" + SERVER + "::" + counter;
            if (sha256Hex(candidate).startsWith("0000")) {
                underclaimed = candidate;
            }
        }

        assertThat(Hashcash.verify(underclaimed, 16, SERVER, TODAY)).isEqualTo(Verdict.INSUFFICIENT_BITS);
        assertThat(Hashcash.verify(underclaimed, 12, SERVER, TODAY)).isEqualTo(Verdict.VALID);
    }

    @Test
    void a_stamp_whose_hash_lacks_its_declared_bits_is_insufficient() throws Exception {
        String stamp = Hashcash.mint(16, TODAY, SERVER, new Random(6));
        String tampered = stamp.substring(0, stamp.length() - 1) + (stamp.endsWith("0") ? "1" : "0");

        assertThat(Hashcash.leadingZeroBits(HexFormat.of().parseHex(sha256Hex(tampered)))).isLessThan(16);
        assertThat(Hashcash.verify(stamp, 16, SERVER, TODAY)).isEqualTo(Verdict.VALID);
        assertThat(Hashcash.verify(tampered, 16, SERVER, TODAY)).isEqualTo(Verdict.INSUFFICIENT_BITS);
        assertThat(Hashcash.verify(tampered, 0, SERVER, TODAY)).isEqualTo(Verdict.INSUFFICIENT_BITS);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "1:20:260816:alpha.example:",
        "1:20:260816:alpha.example::",
        "1:20:260816:alpha.example:::abc",
        "1:20:260816:alpha.example:ext:rand:abc",
        "2:20:260816:alpha.example::abc",
        "1:-1:260816:alpha.example::abc",
        "1:x:260816:alpha.example::abc",
        "1:1000:260816:alpha.example::abc",
        "1:257:260816:alpha.example::abc",
        "1:20:2608160:alpha.example::abc",
        "1:20:261316:alpha.example::abc",
        "1:20:260230:alpha.example::abc",
        "1:20:26-816:alpha.example::abc",
        "1:20:260816:alpha.example::a b",
        "1:20:260816:alpha.example::ab\u00e9",
        "garbage",
    })
    void malformed_stamps(String stamp) {
        assertThat(Hashcash.verify(stamp, 0, SERVER, TODAY)).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void an_overlong_stamp_is_malformed_without_being_hashed() {
        String stamp = "1:0:260816:" + SERVER + "::" + "a".repeat(600);
        assertThat(Hashcash.verify(stamp, 0, SERVER, TODAY)).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void only_valid_is_valid() {
        assertThat(Verdict.VALID.isValid()).isTrue();
        assertThat(Verdict.EXPIRED.isValid()).isFalse();
    }

    @Test
    void bad_arguments_are_refused() {
        assertThatThrownBy(() -> Hashcash.mint(-1, TODAY, SERVER)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hashcash.mint(8, TODAY, "a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hashcash.mint(8, TODAY, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hashcash.mint(8, LocalDate.of(1999, 1, 1), SERVER)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hashcash.verify("x", -1, SERVER, TODAY)).isInstanceOf(IllegalArgumentException.class);
    }
}
