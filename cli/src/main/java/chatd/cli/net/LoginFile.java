package chatd.cli.net;

import chatd.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".login", ".tmp");
            try {
                restrict(temp);
                Files.write(temp, Json.writeBytes(login));
                try {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the login file " + path, e);
        } finally {
            lock.unlock();
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection has to do
        }
    }
}
