package chatd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.TerminalClient;
import chatd.cli.api.ApiClient;
import chatd.cli.model.TimeFormat;
import chatd.cli.net.LoginFile;
import chatd.protocol.ClientSignature;
import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, end to end: the terminal client's real main loop on a JLine dumb terminal (in-memory keyboard
 * and screen) against a real chatd, chatting with a user of the HTTP API.
 */
class TerminalClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void terminal_user_and_http_user_chat_in_a_room_and_the_terminal_resumes_after_a_restart() throws Exception {
        try (TestServer server = TestServer.start()) {
            Path login = dir.resolve("login.json");
            Session alice = Session.start(server.url(), "alice", login);
            alice.screen.await("the welcome", "Welcome");
            alice.keys.type("/join #room");
            alice.screen.await("own join", "-!- alice has joined #room");

            ApiClient bob = server.client();
            bob.createSession("bob");
            Mailbox bobs = new Mailbox(bob);
            bob.send("JOIN", "#room");
            alice.screen.await("bob's join", "-!- bob has joined #room");
            bob.privmsg("#room", "hello");
            alice.screen.await("bob's line", "<bob> hello");

            alice.keys.type("hi bob, from the terminal");
            Envelope reply = bobs.await("alice's reply", Mailbox.text("hi bob, from the terminal"));
            assertThat(reply.command()).isEqualTo("PRIVMSG");
            assertThat(reply.from()).isEqualTo("alice");
            assertThat(reply.to()).isEqualTo("#room");
            // signed with the key it keeps next to the login file, relayed untouched, verified on its echo
            assertThat(ClientSignature.verifies(reply, ClientSignature.attachedKey(reply), "alpha")).isTrue();
            alice.screen.await("own line, verified", "✓ <alice> hi bob, from the terminal");
            alice.screen.await("bob's unsigned line", "· <bob> hello");

            // slash-commands and readable numerics against the real server
            alice.keys.type("/me waves");
            assertThat(bobs.await("the action", Mailbox.text("\u0001ACTION waves\u0001")).from()).isEqualTo("alice");
            alice.screen.await("own action", "* alice waves");
            alice.keys.type("/topic all about rooms");
            alice.screen.await("topic change", "-!- alice changed the topic of #room to: all about rooms");
            alice.keys.type("/whois nobody");
            alice.screen.await("401 shown readably", "No such nick: nobody");
            alice.keys.type("/names");
            alice.screen.await("353 shown readably", "Users on #room: ");
            bob.privmsg("alice", "psst");
            alice.screen.await("a private line in its own window", "[3:bob] ");
            assertThat(alice.screen.text()).contains("<bob> psst").doesNotContain(" 401 ").doesNotContain(" 353 ");

            alice.keys.endOfInput(); // leaves the client alive on the server, cursor saved
            alice.awaitExit();
            assertThat(new LoginFile(login).read().orElseThrow().token()).isNotNull();

            bob.privmsg("#room", "are you there?");
            Session again = Session.start(server.url(), null, login); // no --nick: the saved login
            again.screen.await("the resume", "Resumed the saved login of alice");
            again.screen.await("the line sent while away", "<bob> are you there?");
            assertThat(again.screen.text()).doesNotContain("<bob> hello").doesNotContain("Welcome");
            again.keys.type("/window 2");
            again.screen.await("the room window", "Window 2: #room");
            again.keys.type("back");
            assertThat(bobs.await("the resumed client's line", Mailbox.text("back")).from()).isEqualTo("alice");

            again.keys.type("/quit");
            again.screen.await("bye", "Bye");
            again.awaitExit();
            assertThat(new LoginFile(login).read().orElseThrow().token()).isNull();
            bobs.await("alice's quit", e -> e.command().equals("QUIT") && "alice".equals(e.from()));
        }
    }

    @Test
    void the_terminal_reconnects_after_a_server_restart_without_losing_or_repeating_lines() throws Exception {
        try (TestServer server = TestServer.start()) {
            Session alice = Session.start(server.url(), "alice", dir.resolve("login.json"));
            alice.keys.type("/join #room");
            alice.screen.await("own join", "-!- alice has joined #room");
            ApiClient bob = server.client();
            bob.register("bob", "bob-password");
            bob.send("JOIN", "#room");
            bob.privmsg("#room", "before");
            alice.screen.await("the line before", "<bob> before");

            server.restart();
            bob.privmsg("#room", "after the restart");
            alice.screen.await("the line after", "<bob> after the restart");
            bob.privmsg("#room", "marker");
            alice.screen.await("the marker", "<bob> marker");
            assertThat(count(alice.screen.text(), "<bob> before")).isEqualTo(1);
            assertThat(count(alice.screen.text(), "<bob> after the restart")).isEqualTo(1);
            alice.keys.endOfInput();
            alice.awaitExit();
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    /** One running terminal client: its keyboard, its screen, its thread. */
    private record Session(Keyboard keys, Screen screen, Thread thread, AtomicInteger exit) {
        static Session start(String url, String nick, Path login) throws IOException {
            Keyboard keys = new Keyboard();
            Screen screen = new Screen();
            Terminal terminal = TerminalClient.dumbTerminal(keys, screen);
            TerminalClient client = new TerminalClient(terminal,
                    new TerminalClient.Options(url, nick, null, false, login), TimeFormat.system());
            AtomicInteger exit = new AtomicInteger(-1);
            Thread thread = Thread.ofVirtual().name("terminal-client").start(() -> {
                try (terminal) {
                    exit.set(client.run());
                } catch (IOException e) {
                    exit.set(99);
                }
            });
            return new Session(keys, screen, thread, exit);
        }

        void awaitExit() throws InterruptedException {
            assertThat(thread.join(WAIT)).as("the client ends").isTrue();
            assertThat(exit.get()).isZero();
        }
    }

    /** Keys typed into the client; blocks like a keyboard until something is typed. */
    private static final class Keyboard extends InputStream {
        private static final int EOF = -1;
        private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();

        void type(String line) {
            for (byte b : (line + "\n").getBytes(StandardCharsets.UTF_8)) {
                keys.add(b & 0xff);
            }
        }

        void endOfInput() {
            keys.add(EOF);
        }

        @Override
        public int read() throws IOException {
            try {
                int key = keys.take();
                if (key == EOF) {
                    keys.add(EOF);
                }
                return key;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** Everything the client drew. */
    private static final class Screen extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void await(String what, String text) {
            try {
                Wait.until(what + " (\"" + text + "\") on the terminal", WAIT, () -> text().contains(text));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the terminal shows:\n" + text(), e);
            }
        }
    }
}
