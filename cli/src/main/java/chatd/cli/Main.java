package chatd.cli;

import chatd.cli.model.TimeFormat;
import chatd.cli.net.LoginFile;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code bin/chat}, the terminal client. See docs/TERMINAL.md. */
@Command(name = "chat", mixinStandardHelpOptions = true, version = "chatd terminal client 1.1",
        description = "Chat on a chatd server from the terminal.")
public final class Main implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "Server base URL (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--nick", paramLabel = "NAME", description = "Nick to use (default: the saved login's).")
    String nick;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = "",
            description = "Log in to the account of --nick; without a value, asks for the password.")
    String password;

    @Option(names = "--register", description = "Register --nick as an account (with --password, or asks).")
    boolean register;

    @Option(names = "--login-file", paramLabel = "PATH",
            description = "Saved login (server, nick, token, cursor); default ~/.config/chatd/login.json.")
    Path loginFile;

    @Option(names = "--dumb", description = "Plain line-by-line output, no screen control (implied when stdin is not a terminal).")
    boolean dumb;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        boolean script = dumb || !interactive();
        try (Terminal terminal = script ? TerminalClient.dumbTerminal(System.in, System.out)
                : TerminalBuilder.builder().name("chatd").encoding(StandardCharsets.UTF_8).system(true).dumb(true).build()) {
            TerminalClient.Options options = new TerminalClient.Options(server, nick,
                    register && password != null && password.isEmpty() ? null : password,
                    register, loginFile != null ? loginFile : LoginFile.defaultPath());
            return new TerminalClient(terminal, options, TimeFormat.system()).run();
        }
    }

    /** Whether stdin and stdout are a terminal ({@code Console.isTerminal()} where the JDK has it, 22+). */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console means both are a terminal
        }
    }
}
