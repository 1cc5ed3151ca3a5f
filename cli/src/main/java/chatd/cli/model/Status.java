package chatd.cli.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A snapshot of what the status line shows: own nick, the current window, the windows with unread
 * activity and the connection state.
 */
public record Status(String nick, int current, String currentName, List<Unread> unread, ConnectionState connection) {
    /** A window with unread lines, and how important they are. */
    public record Unread(int window, Activity level) {}

    public Status {
        unread = List.copyOf(unread);
    }

    /** E.g. {@code [alice] [2:#room] [Act: 1,3!] [connected]}; {@code !} marks highlights and private messages. */
    public String render() {
        StringBuilder out = new StringBuilder()
                .append('[').append(nick == null ? "?" : nick).append("] ")
                .append('[').append(current).append(':').append(currentName).append(']');
        if (!unread.isEmpty()) {
            out.append(" [Act: ").append(unread.stream()
                    .map(u -> u.window() + (u.level() == Activity.HIGHLIGHT ? "!" : ""))
                    .collect(Collectors.joining(","))).append(']');
        }
        return out.append(" [").append(connection.label()).append(']').toString();
    }
}
