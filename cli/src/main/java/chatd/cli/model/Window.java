package chatd.cli.model;

import chatd.protocol.Names;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrolling window: the server window (target {@code null}), a channel, or a private conversation
 * with {@code nick} / {@code nick@server}. Keeps the last {@link #MAX_LINES} lines, its unread level and,
 * for channels, the members it has seen (so QUIT and NICK lines land where the user is).
 *
 * <p>Not thread-safe: {@link ChatModel} guards every window with its own lock.
 */
public final class Window {
    public static final int MAX_LINES = 2000;

    private final String target;
    private final Deque<Line> lines = new ArrayDeque<>();
    private final Map<String, String> members = new LinkedHashMap<>();
    private Activity unread = Activity.NONE;
    private String topic;

    Window(String target) {
        this.target = target;
    }

    /** The target ({@code #chan}, {@code nick}, {@code nick@server}), or null for the server window. */
    public String target() {
        return target;
    }

    /** What the status line calls this window. */
    public String name() {
        return target == null ? "(server)" : target;
    }

    public boolean isChannel() {
        return Names.isChannel(target);
    }

    public boolean matches(String other) {
        return target == null ? other == null : other != null && Names.fold(target).equals(Names.fold(other));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public Activity unread() {
        return unread;
    }

    public String topic() {
        return topic;
    }

    void topic(String value) {
        this.topic = value;
    }

    void add(Line line, boolean seen) {
        lines.addLast(line);
        while (lines.size() > MAX_LINES) {
            lines.removeFirst();
        }
        if (!seen) {
            unread = unread.max(line.activity());
        }
    }

    void markRead() {
        unread = Activity.NONE;
    }

    boolean hasMember(String nick) {
        return members.containsKey(Names.fold(nick));
    }

    void addMember(String nick) {
        members.put(Names.fold(nick), nick);
    }

    boolean removeMember(String nick) {
        return members.remove(Names.fold(nick)) != null;
    }

    List<String> members() {
        return new ArrayList<>(members.values());
    }
}
