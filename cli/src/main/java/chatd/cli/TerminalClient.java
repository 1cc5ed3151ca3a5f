package chatd.cli;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.cli.input.Input;
import chatd.cli.input.InputParser;
import chatd.cli.model.ChatModel;
import chatd.cli.model.ConnectionState;
import chatd.cli.model.Presenter;
import chatd.cli.model.TimeFormat;
import chatd.cli.net.Backoff;
import chatd.cli.net.Connector;
import chatd.cli.net.LoginFile;
import chatd.cli.net.Pause;
import chatd.cli.net.Receiver;
import chatd.cli.net.SavedLogin;
import chatd.cli.net.Sender;
import chatd.cli.term.TerminalView;
import chatd.protocol.Commands;
import chatd.protocol.Envelope;
import chatd.protocol.Names;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * The terminal client's main loop: connects (or resumes the saved login), polls on a virtual thread
 * ({@link Receiver}), reads typed lines on the calling thread and turns them into commands
 * ({@link InputParser}). State lives in the pure {@link ChatModel}; {@link TerminalView} draws it.
 *
 * <p>Leaving: {@code /quit} sends QUIT and forgets the token; end of input (Ctrl-D, end of a script)
 * or Ctrl-C leaves the client alive on the server, so the next start resumes it from its cursor.
 */
public final class TerminalClient {
    /** What the command line asked for. {@code nick} and {@code password} may be null. */
    public record Options(String server, String nick, String password, boolean register, Path loginFile) {}

    private final Terminal terminal;
    private final Options options;
    private final ChatModel model = new ChatModel();
    private final Presenter presenter;
    private final ApiClient api;
    private final LoginFile loginFile;
    private final AtomicReference<SavedLogin> login = new AtomicReference<>();

    /**
     * A client on {@code terminal}: a real one, or (scripts, tests) a {@link #dumbTerminal dumb} one on
     * given streams.
     */
    public TerminalClient(Terminal terminal, Options options, TimeFormat time) {
        this.terminal = terminal;
        this.options = options;
        this.presenter = new Presenter(model, time);
        this.api = new ApiClient(options.server());
        this.loginFile = new LoginFile(options.loginFile());
    }

    /** Runs until /quit or end of input; answers the process exit code. */
    public int run() {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("chatd").build();
        TerminalView view = new TerminalView(terminal, reader);
        model.listener(view);
        try {
            if (!connect(reader)) {
                return 1;
            }
            Receiver receiver = Receiver.of(api, new ToModel(), login.get().cursor());
            Thread poller = Thread.ofVirtual().name("chatd-poll").start(receiver);
            try {
                readLoop(reader, view);
            } finally {
                receiver.stop();
                poller.interrupt();
                joinQuietly(poller);
            }
            return 0;
        } finally {
            view.close();
            terminal.flush();
        }
    }

    private boolean connect(LineReader reader) {
        Connector connector = new Connector(api, loginFile, presenter::serverNote);
        try {
            SavedLogin saved = connector.connect(
                    new Connector.Request(options.server(), options.nick(), options.password(), options.register()),
                    () -> readSecret(reader, "Password for " + options.nick() + ": "));
            login.set(saved);
            loginFile.write(saved);
        } catch (ApiException e) {
            presenter.serverNote("Cannot connect to " + options.server() + ": " + e.getMessage());
            return false;
        } catch (UncheckedIOException e) {
            presenter.serverNote("Cannot reach " + options.server() + ": " + e.getCause());
            return false;
        } catch (IllegalArgumentException e) {
            presenter.serverNote(e.getMessage());
            return false;
        }
        model.nick(login.get().nick());
        restoreWindows();
        return true;
    }

    /** After a resume, reopens a window per channel the session is on (the queue carries no JOINs for them). */
    private void restoreWindows() {
        try {
            JsonNode state = api.state();
            for (JsonNode channel : state.path("channels")) {
                String name = channel.path("name").asText();
                if (Names.isChannel(name)) {
                    model.open(name);
                    String topic = channel.path("topic").asText("");
                    model.topic(name, topic);
                }
            }
        } catch (ApiException | UncheckedIOException e) {
            // the receiver reports the link state; windows will open as traffic arrives
        }
    }

    private void readLoop(LineReader reader, TerminalView view) {
        Sender sender = new Sender(api::send, Backoff.DEFAULT, Pause.REAL);
        while (true) {
            String line;
            try {
                line = reader.readLine(view.prompt());
            } catch (EndOfFileException | UserInterruptException e) {
                presenter.note("Leaving; the next start resumes this client (" + loginFile.path() + ")");
                return;
            }
            Input input = InputParser.parse(line, model.currentTarget());
            switch (input) {
                case Input.Nothing nothing -> { }
                case Input.Help help -> InputParser.HELP.forEach(presenter::note);
                case Input.Problem problem -> presenter.note(problem.message());
                case Input.Select select -> {
                    if (!model.select(select.number())) {
                        presenter.note("No window " + select.number() + " (there are " + model.size() + ")");
                    }
                }
                case Input.Query query -> model.openAndSelect(query.target());
                case Input.Send send -> {
                    if (send(sender, send.envelope()) && Commands.JOIN.equals(send.envelope().command())) {
                        // open the window now rather than when the JOIN comes back, so that a script's
                        // next line already goes to the channel; a refusal (473…) is shown in it
                        model.openAndSelect(send.envelope().to());
                    }
                }
                case Input.Quit quit -> {
                    send(sender, quit.envelope());
                    loginFile.write(login.updateAndGet(SavedLogin::withoutToken));
                    presenter.note("Bye");
                    return;
                }
            }
        }
    }

    private boolean send(Sender sender, Envelope envelope) {
        try {
            sender.send(envelope);
            return true;
        } catch (ApiException e) {
            presenter.note("The server refused " + envelope.command() + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            presenter.note("Not sent (server unreachable): " + envelope.command());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * A JLine dumb terminal straight on {@code in}/{@code out}: no pty and no pump threads, so piped
     * input is read line by line even when it ends early, and output is written as it is drawn.
     * ({@code TerminalBuilder.system(false).streams(…)} makes a pty-backed terminal instead, whose
     * output pump may lose the last lines when the client exits.)
     */
    public static Terminal dumbTerminal(InputStream in, OutputStream out) throws IOException {
        return new DumbTerminal("chatd", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
    }

    private static String readSecret(LineReader reader, String prompt) {
        try {
            return reader.readLine(prompt, '*');
        } catch (EndOfFileException | UserInterruptException e) {
            return "";
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Receiver results into the model, and the cursor into the login file. */
    private final class ToModel implements Receiver.Sink {
        @Override
        public void deliver(Envelope envelope) {
            presenter.apply(envelope);
        }

        @Override
        public void dropped(long count) {
            presenter.serverNote(count + " messages were dropped by the server (queue overflow); see /history");
        }

        @Override
        public void cursor(long cursor) {
            String nick = model.nick();
            loginFile.write(login.updateAndGet(saved -> saved.withCursor(cursor).withNick(nick)));
        }

        @Override
        public void state(ConnectionState state, String detail) {
            ConnectionState before = model.connection();
            model.connection(state);
            if (detail != null && state != before) {
                presenter.serverNote(detail);
            } else if (state == ConnectionState.CONNECTED && before == ConnectionState.RECONNECTING) {
                presenter.serverNote("Reconnected");
            }
        }
    }
}
