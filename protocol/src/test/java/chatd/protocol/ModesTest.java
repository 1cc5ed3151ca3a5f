package chatd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModesTest {

    @Test
    void arguments_go_to_the_letters_that_take_them() {
        assertThat(Modes.parse(List.of("+ov-k+l", "alice", "bob", "old", "10"))).containsExactly(
                new ModeChange(true, 'o', "alice"),
                new ModeChange(true, 'v', "bob"),
                new ModeChange(false, 'k', "old"),
                new ModeChange(true, 'l', "10"));
    }

    @Test
    void flags_and_unset_limits_take_none() {
        assertThat(Modes.parse(List.of("+nt-il"))).containsExactly(
                new ModeChange(true, 'n', null), new ModeChange(true, 't', null),
                new ModeChange(false, 'i', null), new ModeChange(false, 'l', null));
    }

    @Test
    void a_missing_argument_is_reported_not_shifted() {
        List<ModeChange> changes = Modes.parse(List.of("+ok", "alice"));
        assertThat(changes.get(0).arg()).isEqualTo("alice");
        assertThat(changes.get(1).missingArgument()).isTrue();
        assertThat(Modes.parse(List.of("-k")).getFirst().missingArgument()).isFalse();
    }

    @Test
    void a_server_echo_of_minus_k_keeps_later_arguments_in_place() {
        assertThat(Modes.parse(List.of("-k+o", "*", "bob")).get(1)).isEqualTo(new ModeChange(true, 'o', "bob"));
    }

    @Test
    void format_writes_one_sign_per_run_and_round_trips() {
        List<String> params = List.of("+ov-k+l", "alice", "bob", "*", "5");
        assertThat(Modes.format(Modes.parse(params))).isEqualTo(params);
        assertThat(Modes.format(List.of(new ModeChange(true, 'm', null), new ModeChange(true, 'v', "x"))))
                .containsExactly("+mv", "x");
    }
}
