package chatd.cli.model;

import chatd.protocol.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pure state of the terminal client: its windows (1 = server, then channels and private
 * conversations in order of appearance), the current window, unread activity, own nick and the
 * connection state. No I/O: a {@link Listener} (the terminal view) is told about every change.
 *
 * <p>Thread-safe. The listener is called while the model's lock is held, so lines reach the view in
 * the order they were added; a listener must therefore never call back into code that waits for a
 * thread which may itself be waiting for this model.
 */
public final class ChatModel {
    /** Observer of the model; the view implements it. Every method has an empty default. */
    public interface Listener {
        default void lineAdded(int number, Window window, Line line, boolean current) {}

        /** The current window changed: the view redraws it from {@code lines}. */
        default void windowSelected(int number, Window window, List<Line> lines) {}

        default void statusChanged(Status status) {}
    }

    private final ReentrantLock lock = new ReentrantLock(); // tier 1: nothing else is locked inside, except the view's
    private final Condition joinAnswered = lock.newCondition();
    private final Set<String> awaitedJoins = new HashSet<>();
    private final List<Window> windows = new ArrayList<>();
    private Listener listener = new Listener() {};
    private int current = 1;
    private String nick;
    private ConnectionState connection = ConnectionState.CONNECTING;

    public ChatModel() {
        windows.add(new Window(null));
    }

    public void listener(Listener value) {
        lock.lock();
        try {
            this.listener = value;
        } finally {
            lock.unlock();
        }
    }

    public String nick() {
        lock.lock();
        try {
            return nick;
        } finally {
            lock.unlock();
        }
    }

    public void nick(String value) {
        lock.lock();
        try {
            this.nick = value;
            listener.statusChanged(statusLocked());
        } finally {
            lock.unlock();
        }
    }

    public void connection(ConnectionState value) {
        lock.lock();
        try {
            if (connection != value) {
                connection = value;
                listener.statusChanged(statusLocked());
            }
        } finally {
            lock.unlock();
        }
    }

    public ConnectionState connection() {
        lock.lock();
        try {
            return connection;
        } finally {
            lock.unlock();
        }
    }

    /** Number of the window for {@code target} (null = server window), opening it at the end if new. */
    public int open(String target) {
        lock.lock();
        try {
            return openLocked(target);
        } finally {
            lock.unlock();
        }
    }

    /** Opens (if needed) and selects the window for {@code target}. */
    public int openAndSelect(String target) {
        lock.lock();
        try {
            int number = openLocked(target);
            selectLocked(number);
            return number;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Notes that a JOIN of {@code channel} was sent: its window opens when the server's JOIN comes
     * back, and a refusal (473, 475…) opens none. {@link #awaitJoin} waits for either answer.
     */
    public void expectJoin(String channel) {
        lock.lock();
        try {
            awaitedJoins.add(Names.fold(channel));
        } finally {
            lock.unlock();
        }
    }

    /** The server answered the JOIN of {@code channel}: its JOIN echo or an error numeric about it. */
    public void joinAnswered(String channel) {
        lock.lock();
        try {
            if (awaitedJoins.remove(Names.fold(channel))) {
                joinAnswered.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for the answer to a JOIN; true when the channel's window is open. */
    public boolean awaitJoin(String channel, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (awaitedJoins.contains(Names.fold(channel)) && left > 0) {
                left = joinAnswered.awaitNanos(left);
            }
            awaitedJoins.remove(Names.fold(channel));
            return find(channel) > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a window for {@code target} exists (never opens one). */
    public boolean has(String target) {
        lock.lock();
        try {
            return find(target) > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a line to the window of {@code target} (null = server window), opening it if needed. */
    public void add(String target, Line line) {
        lock.lock();
        try {
            addLocked(openLocked(target), line);
        } finally {
            lock.unlock();
        }
    }

    public void addToCurrent(Line line) {
        lock.lock();
        try {
            addLocked(current, line);
        } finally {
            lock.unlock();
        }
    }

    /** Selects window {@code number} (1-based); false when there is no such window. */
    public boolean select(int number) {
        lock.lock();
        try {
            if (number < 1 || number > windows.size()) {
                return false;
            }
            selectLocked(number);
            return true;
        } finally {
            lock.unlock();
        }
    }

    public int current() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Target of the current window, or null in the server window. */
    public String currentTarget() {
        lock.lock();
        try {
            return windows.get(current - 1).target();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return windows.size();
        } finally {
            lock.unlock();
        }
    }

    /** Target of window {@code number} (null for the server window). */
    public String target(int number) {
        lock.lock();
        try {
            return windows.get(number - 1).target();
        } finally {
            lock.unlock();
        }
    }

    public List<Line> lines(int number) {
        lock.lock();
        try {
            return windows.get(number - 1).lines();
        } finally {
            lock.unlock();
        }
    }

    public String topic(String channel) {
        lock.lock();
        try {
            int number = find(channel);
            return number > 0 ? windows.get(number - 1).topic() : null;
        } finally {
            lock.unlock();
        }
    }

    public void topic(String channel, String value) {
        lock.lock();
        try {
            windows.get(openLocked(channel) - 1).topic(value);
        } finally {
            lock.unlock();
        }
    }

    public void addMembers(String channel, Collection<String> nicks) {
        lock.lock();
        try {
            Window window = windows.get(openLocked(channel) - 1);
            nicks.forEach(window::addMember);
        } finally {
            lock.unlock();
        }
    }

    public void removeMember(String channel, String nick) {
        lock.lock();
        try {
            int number = find(channel);
            if (number > 0) {
                windows.get(number - 1).removeMember(nick);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Targets of the windows where {@code nick} is seen: channels it is a member of and the private
     * window with it. With {@code removeFrom} the nick also leaves those channels (QUIT).
     */
    public List<String> windowsOf(String nick, boolean removeFrom) {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            for (Window window : windows) {
                if (window.isChannel() ? window.hasMember(nick) : window.target() != null && window.matches(nick)) {
                    out.add(window.target());
                    if (removeFrom && window.isChannel()) {
                        window.removeMember(nick);
                    }
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Targets of every channel window, in window order. */
    public List<String> channels() {
        lock.lock();
        try {
            return windows.stream().filter(Window::isChannel).map(Window::target).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Renames {@code from} to {@code to} in every channel it is in; answers those channels. */
    public List<String> rename(String from, String to) {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            for (Window window : windows) {
                if (window.isChannel() && window.removeMember(from)) {
                    window.addMember(to);
                    out.add(window.target());
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public Status status() {
        lock.lock();
        try {
            return statusLocked();
        } finally {
            lock.unlock();
        }
    }

    private int find(String target) {
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).matches(target)) {
                return i + 1;
            }
        }
        return -1;
    }

    private int openLocked(String target) {
        int number = find(target);
        if (number > 0) {
            return number;
        }
        windows.add(new Window(target));
        listener.statusChanged(statusLocked());
        return windows.size();
    }

    private void addLocked(int number, Line line) {
        Window window = windows.get(number - 1);
        boolean seen = number == current;
        Activity before = window.unread();
        window.add(line, seen);
        listener.lineAdded(number, window, line, seen);
        if (window.unread() != before) {
            listener.statusChanged(statusLocked());
        }
    }

    private void selectLocked(int number) {
        current = number;
        Window window = windows.get(number - 1);
        window.markRead();
        listener.windowSelected(number, window, window.lines());
        listener.statusChanged(statusLocked());
    }

    private Status statusLocked() {
        List<Status.Unread> unread = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            Activity level = windows.get(i).unread();
            if (level != Activity.NONE) {
                unread.add(new Status.Unread(i + 1, level));
            }
        }
        return new Status(nick, current, windows.get(current - 1).name(), unread, connection);
    }
}
