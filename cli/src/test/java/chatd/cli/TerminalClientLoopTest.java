package chatd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.cli.model.TimeFormat;
import chatd.cli.net.LoginFile;
import chatd.cli.net.SavedLogin;
import chatd.cli.sign.Signer;
import chatd.cli.testing.FakeChatd;
import chatd.cli.testing.ScriptedTerminal;
import chatd.protocol.ClientSignature;
import chatd.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole terminal client (main loop, receiver thread, dumb JLine terminal on in-memory streams)
 * against {@link FakeChatd}: chatting, reconnecting after an outage without losing or repeating a
 * line, resuming from the login file after a restart, and /quit.
 */
class TerminalClientLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private record Running(ScriptedTerminal screen, Thread thread, AtomicInteger exit) {
        void stop() throws Exception {
            screen.endOfInput();
            assertThat(thread.join(WAIT)).as("client ends at end of input").isTrue();
            screen.close();
        }
    }

    private Running start(String server, String nick) throws Exception {
        ScriptedTerminal screen = new ScriptedTerminal();
        AtomicInteger exit = new AtomicInteger(-1);
        TerminalClient client = new TerminalClient(screen.terminal(),
                new TerminalClient.Options(server, nick, null, false, dir.resolve("login.json")), TimeFormat.system());
        Thread thread = Thread.ofVirtual().name("terminal-client").start(() -> exit.set(client.run()));
        return new Running(screen, thread, exit);
    }

    @Test
    void chats_reconnects_resumes_and_quits() throws Exception {
        try (FakeChatd fake = FakeChatd.start()) {
            Running alice = start(fake.url(), "alice");
            alice.screen().awaitOutput("Welcome to the fake chatd, alice", WAIT);
            alice.screen().type("/join #room");
            alice.screen().awaitOutput("-!- alice has joined #room", WAIT);

            ApiClient bob = new ApiClient(fake.url());
            String bobToken = bob.createSession("bob").token();
            bob.send("JOIN", "#room");
            bob.privmsg("#room", "hello");
            alice.screen().awaitOutput("<bob> hello", WAIT);

            alice.screen().type("hi bob");
            assertThat(awaitText(bob, "hi bob")).isEqualTo("alice");

            // outage: the client notices, a line arrives meanwhile, and shows up exactly once after
            fake.down();
            alice.screen().awaitOutput("connection lost", WAIT);
            fake.inject(bobToken, Envelope.of("PRIVMSG", null, "#room", List.of(), List.of("while you were away")));
            fake.up();
            alice.screen().awaitOutput("<bob> while you were away", WAIT);
            bob.privmsg("#room", "marker");
            alice.screen().awaitOutput("<bob> marker", WAIT);
            assertThat(ScriptedTerminal.count(alice.screen().output(), "while you were away")).isEqualTo(1);
            alice.stop();
            assertThat(alice.exit().get()).isZero();

            SavedLogin saved = new LoginFile(dir.resolve("login.json")).read().orElseThrow();
            assertThat(saved.nick()).isEqualTo("alice");
            assertThat(saved.token()).isNotNull();
            assertThat(saved.cursor()).isPositive();

            // restart without --nick: the saved login is resumed from its cursor
            bob.privmsg("#room", "are you there?");
            Running again = start(fake.url(), null);
            again.screen().awaitOutput("Resumed the saved login of alice", WAIT);
            again.screen().awaitOutput("<bob> are you there?", WAIT);
            assertThat(again.screen().output()).doesNotContain("<bob> hello").doesNotContain("Welcome");

            again.screen().type("/window 2");
            again.screen().awaitOutput("Window 2: #room", WAIT);
            again.screen().type("back");
            assertThat(awaitText(bob, "back")).isEqualTo("alice");
            again.screen().type("/quit");
            again.screen().awaitOutput("Bye", WAIT);
            assertThat(again.thread().join(WAIT)).isTrue();
            again.screen().close();
            assertThat(new LoginFile(dir.resolve("login.json")).read().orElseThrow().token()).isNull();
        }
    }

    /** Polls as {@code bob} until a PRIVMSG with {@code text} arrives; answers its sender. */
    private static String awaitText(ApiClient bob, String text) {
        return awaitMessage(bob, text).from();
    }

    @Test
    void signs_and_verifies_flags_a_changed_key_switches_windows_with_alt_and_opens_no_window_for_a_refused_join() throws Exception {
        try (FakeChatd fake = FakeChatd.start()) {
            Running alice = start(fake.url(), "alice");
            alice.screen().awaitOutput("Welcome to the fake chatd, alice", WAIT);
            alice.screen().type("/join #room");
            alice.screen().awaitOutput("-!- alice has joined #room", WAIT);
            assertThat(dir.resolve("keys/127.0.0.1_" + fake.url().replaceFirst(".*:", "") + "/alice.key")).exists();

            ApiClient bob = new ApiClient(fake.url());
            bob.createSession("bob");
            bob.send("JOIN", "#room");
            Signer bobKey = Signer.loadOrCreate(dir.resolve("bob.key"));
            bob.send(bobKey.sign(Envelope.of("PRIVMSG", null, "#room", List.of(), List.of("hello, signed"))));
            alice.screen().awaitOutput("✓ <bob> hello, signed", WAIT);
            bob.privmsg("#room", "plain and unsigned");
            alice.screen().awaitOutput("· <bob> plain and unsigned", WAIT);

            // alice's line goes out signed with the key she announced; she sees it once, as the server's echo
            alice.screen().type("hi bob");
            Envelope fromAlice = awaitMessage(bob, "hi bob");
            assertThat(ClientSignature.verifies(fromAlice, ClientSignature.attachedKey(fromAlice), "fake")).isTrue();
            alice.screen().awaitOutput("✓ <alice> hi bob", WAIT);
            assertThat(ScriptedTerminal.count(alice.screen().output(), "hi bob")).isEqualTo(1);

            // "bob" signing with another key is loud
            ApiClient impostor = new ApiClient(fake.url());
            impostor.createSession("bob");
            impostor.send("JOIN", "#room");
            impostor.send(Signer.loadOrCreate(dir.resolve("impostor.key")).sign(Envelope.of("PRIVMSG", null, "#room", List.of(), List.of("trust me"))));
            alice.screen().awaitOutput("⚠ KEY CHANGED <bob> trust me", WAIT);
            alice.screen().awaitOutput("KEY CHANGED: bob@fake now signs with a key you have not trusted", WAIT);
            alice.screen().type("/trust bob");
            alice.screen().awaitOutput("Now trusting bob@fake's key", WAIT);

            // a refused join opens no window: there are still two
            alice.screen().type("/join #closed");
            alice.screen().awaitOutput("#closed", WAIT);
            alice.screen().type("/window 3");
            alice.screen().awaitOutput("No window 3 (there are 2)", WAIT);

            // Alt+1 and Alt+2 switch windows
            alice.screen().press("\u001b1");
            alice.screen().awaitOutput("-!- Window 1:", WAIT);
            alice.screen().press("\u001b2");
            alice.screen().awaitCount("-!- Window 2: #room", 1, WAIT);
            alice.stop();
        }
    }

    /** Polls as {@code bob} until a PRIVMSG with {@code text} arrives; answers it. */
    private static Envelope awaitMessage(ApiClient bob, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long cursor = 0;
        while (System.nanoTime() < deadline) {
            ApiClient.Poll poll = bob.poll(cursor, 2, 0);
            for (Envelope e : poll.messages()) {
                if ("PRIVMSG".equals(e.command()) && e.bodyLines().contains(text)) {
                    return e;
                }
            }
            cursor = poll.lastId();
        }
        throw new AssertionError("bob never received \"" + text + "\"");
    }
}
