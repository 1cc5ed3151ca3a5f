package chatd.cli.term;

import chatd.cli.model.ChatModel;
import chatd.cli.model.Line;
import chatd.cli.model.Status;
import chatd.cli.model.Window;
import java.util.List;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;

/**
 * The JLine side of the client: prints the current window's lines above the input line, redraws the
 * screen on a window switch and keeps the status line at the bottom ({@link org.jline.utils.Status}).
 *
 * <p>On a dumb terminal (a pipe, a script) there is no screen to redraw: every line is printed, with
 * a {@code [N:target]} prefix when it is not in the current window, and a switch prints one line.
 */
public final class TerminalView implements ChatModel.Listener {
    private final Terminal terminal;
    private final LineReader reader;
    private final boolean dumb;
    private final org.jline.utils.Status status;

    public TerminalView(Terminal terminal, LineReader reader) {
        this.terminal = terminal;
        this.reader = reader;
        this.dumb = isDumb(terminal);
        this.status = dumb ? null : org.jline.utils.Status.getStatus(terminal);
    }

    public static boolean isDumb(Terminal terminal) {
        return terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB);
    }

    public boolean dumb() {
        return dumb;
    }

    /** The prompt: nothing on a dumb terminal (scripts), else a marker; the status line names the window. */
    public String prompt() {
        return dumb ? "" : "> ";
    }

    @Override
    public void lineAdded(int number, Window window, Line line, boolean current) {
        if (current) {
            print(line.render());
        } else if (dumb) {
            print("[" + number + ":" + window.name() + "] " + line.render());
        }
    }

    @Override
    public void windowSelected(int number, Window window, List<Line> lines) {
        if (dumb) {
            print("-!- Window " + number + ": " + window.name());
            return;
        }
        // No clear-screen: blank lines, a header and the window's recent lines scroll in and fill the
        // screen, which keeps the status line's scroll region and the reader's display intact.
        int room = Math.max(terminal.getHeight() - 3, 5);
        List<Line> shown = lines.subList(Math.max(0, lines.size() - room), lines.size());
        StringBuilder screen = new StringBuilder("\n".repeat(room - shown.size())).append("-!- Window ").append(number).append(": ").append(window.name());
        if (window.topic() != null && !window.topic().isEmpty()) {
            screen.append(" — ").append(window.topic());
        }
        for (Line line : shown) {
            screen.append('\n').append(line.render());
        }
        print(screen.toString());
    }

    @Override
    public void statusChanged(Status value) {
        if (status != null) {
            status.update(List.of(new AttributedString(value.render())));
        }
    }

    /** Releases the status line area. */
    public void close() {
        if (status != null) {
            status.close();
        }
    }

    private void print(String text) {
        reader.printAbove(text);
    }
}
