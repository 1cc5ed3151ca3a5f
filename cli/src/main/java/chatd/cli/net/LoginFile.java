package chatd.cli.net;

import chatd.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The saved-login file ({@code ~/.config/chatd/login.json} by default): a JSON {@link SavedLogin},
 * readable only by its owner (it holds a bearer token), replaced atomically on every write so a
 * crash never leaves half a file.
 */
public final class LoginFile {
    private final Path path;
    private final ReentrantLock lock = new ReentrantLock();

    public LoginFile(Path path) {
        this.path = path;
    }

    public static Path defaultPath() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("chatd").resolve("login.json");
    }

    public Path path() {
        return path;
    }

    /** The saved login, or empty when there is no file or it cannot be read as one. */
    public Optional<SavedLogin> read() {
        lock.lock();
        try {
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            return Optional.of(Json.MAPPER.readValue(path.toFile(), SavedLogin.class));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    public void write(SavedLogin login) {
        lock.lock();
        try {
            PrivateFile.write(path, Json.writeBytes(login));
        } finally {
            lock.unlock();
        }
    }
}
