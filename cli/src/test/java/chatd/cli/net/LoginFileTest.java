package chatd.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginFileTest {
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
}
