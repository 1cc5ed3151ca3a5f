package chatd.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Real programs a test drives (irssi, WeeChat, tmux): whether they are installed. */
public final class Programs {
    private Programs() {}

    public static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }
}
