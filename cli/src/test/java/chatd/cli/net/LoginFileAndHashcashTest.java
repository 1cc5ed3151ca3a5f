package chatd.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginFileAndHashcashTest {
    @TempDir
    Path dir;

    @Test
    void login_file_round_trips_and_is_private() throws Exception {
        LoginFile file = new LoginFile(dir.resolve("sub/login.json"));
        assertThat(file.read()).isEmpty();
        SavedLogin login = new SavedLogin("http://127.0.0.1:8080", "alice", "tok", 42);
        file.write(login);
        assertThat(file.read()).contains(login);
        assertThat(Files.getPosixFilePermissions(file.path())).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        file.write(login.withoutToken());
        assertThat(file.read().orElseThrow().token()).isNull();
    }

    @Test
    void unreadable_login_file_is_ignored() throws Exception {
        Path path = dir.resolve("login.json");
        Files.writeString(path, "not json");
        assertThat(new LoginFile(path).read()).isEmpty();
    }

    @Test
    void hashcash_stamps_have_the_asked_leading_zero_bits() throws Exception {
        String stamp = Hashcash.mint(12, "alpha", LocalDate.of(2026, 1, 2));
        assertThat(stamp).startsWith("1:12:260102:alpha::");
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(stamp.getBytes(StandardCharsets.UTF_8));
        assertThat(Hashcash.leadingZeroBits(hash)).isGreaterThanOrEqualTo(12);
        assertThat(Hashcash.leadingZeroBits(new byte[] {0, 0x10, 0})).isEqualTo(11);
    }
}
