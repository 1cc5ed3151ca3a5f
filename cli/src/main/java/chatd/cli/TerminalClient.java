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
import chatd.cli.sign.Signer;
import chatd.cli.sign.TrustStore;
import chatd.cli.sign.Verifier;
import chatd.cli.term.TerminalView;
import chatd.protocol.Commands;
import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.protocol.Names;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
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
 *
 * <p>Signing (docs/SIGNING.md): PRIVMSG and NOTICE go out signed with this identity's key
 * ({@link Signer}), which is announced with PUBKEY to each channel joined and each DM partner;
 * delivered messages are judged by the {@link Verifier} against a trust-on-first-use store.
 */
public final class TerminalClient {
    /** What the command line asked for. {@code nick} and {@code password} may be null. */
    public record Options(String server, String nick, String password, boolean register, Path loginFile) {}

    /** How long a typed /join waits for the server's answer before the next line runs. */
    private static final Duration JOIN_ANSWER = Duration.ofSeconds(10);

    private final Terminal terminal;
    private final Options options;
    private final ChatModel model = new ChatModel();
    private final Presenter presenter;
    private final ApiClient api;
    private final LoginFile loginFile;
    private final AtomicReference<SavedLogin> login = new AtomicReference<>();
    private final AtomicReference<String> serverName = new AtomicReference<>();
    private final Verifier verifier;
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private volatile Signer signer; // null when the key file cannot be used: messages go out unsigned

    /**
     * A client on {@code terminal}: a real one, or (scripts, tests) a {@link #dumbTerminal dumb} one on
     * given streams.
     */
    public TerminalClient(Terminal terminal, Options options, TimeFormat time) {
        this.terminal = terminal;
        this.options = options;
        this.verifier = new Verifier(new TrustStore(configDir().resolve("trust.json")), this::serverName);
        this.presenter = new Presenter(model, time, verifier);
        this.api = new ApiClient(options.server());
        this.loginFile = new LoginFile(options.loginFile());
    }

    /** The directory of the login file: the key and trust files live next to it. */
    private Path configDir() {
        return options.loginFile().toAbsolutePath().getParent();
    }

    /** Runs until /quit or end of input; answers the process exit code. */
    public int run() {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("chatd").build();
        // the typed line leaves the input line when sent: the server's echo shows it once, signed
        reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
        bindWindowKeys(reader);
        TerminalView view = new TerminalView(terminal, reader);
        model.listener(view);
        try {
            if (!connect(reader)) {
                return 1;
            }
            Receiver receiver = Receiver.of(api, this::recentHistory, new ToModel(), login.get().cursor());
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
        useKey(login.get().nick());
        restoreWindows();
        return true;
    }

    /** Alt+1…Alt+9 switch windows, as in irssi and WeeChat. */
    private void bindWindowKeys(LineReader reader) {
        for (int n = 1; n <= 9; n++) {
            int number = n;
            String widget = "chatd-window-" + n;
            reader.getWidgets().put(widget, () -> {
                model.select(number);
                return true;
            });
            for (String keymap : List.of(LineReader.MAIN, LineReader.EMACS, LineReader.VIINS, LineReader.DUMB)) {
                reader.getKeyMaps().get(keymap).bind(new Reference(widget), KeyMap.alt(Character.forDigit(n, 10)));
            }
        }
    }

    private void useKey(String nick) {
        Path file = Signer.keyFile(configDir(), options.server(), nick);
        try {
            signer = Signer.loadOrCreate(file);
            verifier.trustOwn(nick, signer.publicKey());
        } catch (RuntimeException e) {
            presenter.serverNote("Cannot use the signing key " + file + " (" + e.getMessage() + "): messages go out unsigned");
        }
    }

    /** The server's own name (SPEC §6 GET /server), for nick@server identities; its host until the server answers. */
    private String serverName() {
        String name = serverName.get();
        if (name == null) {
            try {
                name = api.server().path("name").asText(null);
                serverName.set(name);
            } catch (ApiException | UncheckedIOException e) {
                // unreachable for now
            }
        }
        return name != null ? name : URI.create(options.server()).getHost();
    }

    /** Tells a channel or DM partner our key (once per run), off the calling thread. */
    private void announce(String to) {
        Signer key = signer;
        if (key == null || !announced.add(Names.fold(to))) {
            return;
        }
        Thread.ofVirtual().name("chatd-pubkey").start(() -> {
            try {
                api.send(key.announcement(to));
            } catch (ApiException | UncheckedIOException e) {
                announced.remove(Names.fold(to)); // tried again with the next message
            }
        });
    }

    /** The last lines of every window from history, oldest first: the Receiver fills gaps with them. */
    private List<Envelope> recentHistory() {
        List<Envelope> out = new ArrayList<>();
        for (int n = 2; n <= model.size(); n++) {
            for (JsonNode node : api.history(model.target(n), null, 50)) {
                out.add(Json.MAPPER.convertValue(node, Envelope.class));
            }
        }
        out.sort(Comparator.comparing(e -> e.ts() == null ? "" : e.ts()));
        return out;
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
                    announce(name);
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
                case Input.Trust trust -> {
                    String key = verifier.accept(trust.who());
                    presenter.note(key == null ? "No new key seen for " + verifier.identity(trust.who()) + "; nothing to trust"
                            : "Now trusting " + verifier.identity(trust.who()) + "'s key " + key);
                }
                case Input.ShowKey showKey -> presenter.note(signer == null ? "No signing key: messages go out unsigned"
                        : "Your signing key (" + verifier.identity(model.nick()) + "): " + signer.publicKey());
                case Input.Problem problem -> presenter.note(problem.message());
                case Input.Select select -> {
                    if (!model.select(select.number())) {
                        presenter.note("No window " + select.number() + " (there are " + model.size() + ")");
                    }
                }
                case Input.Query query -> model.openAndSelect(query.target());
                case Input.Send send -> {
                    Envelope envelope = send.envelope();
                    if (Commands.JOIN.equals(envelope.command())) {
                        join(sender, envelope);
                    } else {
                        send(sender, envelope);
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

    /**
     * The window opens when the server's JOIN comes back, and only then does the next line run, so a
     * script's next line already goes to the channel; a refusal (473…) opens no window.
     */
    private void join(Sender sender, Envelope envelope) {
        model.expectJoin(envelope.to());
        if (!send(sender, envelope)) {
            model.joinAnswered(envelope.to());
            return;
        }
        try {
            model.awaitJoin(envelope.to(), JOIN_ANSWER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean send(Sender sender, Envelope envelope) {
        boolean message = Commands.PRIVMSG.equals(envelope.command()) || Commands.NOTICE.equals(envelope.command());
        if (message && envelope.to() != null && !Names.isChannel(envelope.to())) {
            announce(envelope.to());
        }
        Signer key = signer;
        try {
            sender.send(key == null ? envelope : key.sign(envelope));
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
            if (Commands.JOIN.equals(envelope.command()) && envelope.from() != null
                    && Names.fold(envelope.from()).equals(Names.fold(String.valueOf(model.nick())))) {
                announce(envelope.to());
            }
        }

        @Override
        public void dropped(long count) {
            presenter.serverNote(count + " messages were dropped by the server (queue overflow); filling the gap from history");
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
