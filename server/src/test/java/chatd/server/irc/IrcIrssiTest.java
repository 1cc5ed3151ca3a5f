package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Programs;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real terminal IRC client against the gateway: irssi (Debian package {@code irssi}) inside a private
 * tmux server, driven with send-keys and read with capture-pane. Skipped when irssi or tmux is missing;
 * CI installs them with {@code apt-get install -y --no-install-recommends irssi tmux}.
 */
class IrcIrssiTest {
    @TempDir
    Path home;

    @Test
    void irssi_joins_a_channel_and_talks_with_an_http_client() throws Exception {
        assumeTrue(Programs.onPath("irssi") && Programs.onPath("tmux"), "irssi and tmux are not installed");
        try (TestServer server = TestServer.start(Map.of("IRC_PORT", "0"))) {
            int port = server.server().irc().port();
            Mailbox http = new Mailbox(server.client());
            http.api().createSession("webber");
            http.api().send(Envelope.of("JOIN", null, "#irssi", List.of(), null));

            Files.writeString(home.resolve("config"), """
                    settings = {
                      core = { real_name = "Irssi Tester"; user_name = "irssiuser"; nick = "irssiuser"; };
                      "fe-common/core" = { theme = "default"; };
                    };
                    """, StandardCharsets.UTF_8);
            String socketName = "chatd-irc-test-" + UUID.randomUUID();
            Tmux tmux = new Tmux(socketName);
            try {
                tmux.run("new-session", "-d", "-s", "irc", "-x", "200", "-y", "50",
                        "irssi --home=" + home + " -n irssiuser -c 127.0.0.1 -p " + port);
                Wait.until("irssi to register", Duration.ofSeconds(20),
                        () -> server.server().core().state().sessionByNick("irssiuser") != null);
                // The server registers irssi before irssi has read the welcome; a /join typed in between
                // is refused by irssi itself ("Not connected to server").
                Wait.until("irssi to show the end of the welcome", Duration.ofSeconds(20),
                        () -> tmux.screen().contains("End of /MOTD command"));
                tmux.type("/join #irssi");
                http.await("irssi's JOIN", e -> e.command().equals("JOIN") && "irssiuser".equals(e.from()));
                tmux.type("hello from irssi");
                Envelope said = http.await("irssi's message", Mailbox.text("hello from irssi"));
                assertThat(said.from()).isEqualTo("irssiuser");
                assertThat(said.to()).isEqualTo("#irssi");

                http.api().privmsg("#irssi", "hello from http");
                Wait.until("irssi to show the HTTP message", Duration.ofSeconds(10),
                        () -> tmux.screen().contains("webber") && tmux.screen().contains("hello from http"));

                tmux.type("/quit bye now");
                Wait.until("irssi's session to end", Duration.ofSeconds(10),
                        () -> server.server().core().state().sessionByNick("irssiuser") == null);
                http.await("irssi's QUIT", e -> e.command().equals("QUIT") && "irssiuser".equals(e.from()));
            } finally {
                tmux.run("kill-server");
            }
        }
    }

    /** A private tmux server (its own socket name), so the test never touches anyone else's tmux. */
    private record Tmux(String socketName) {
        String run(String... args) {
            List<String> command = new java.util.ArrayList<>(List.of("tmux", "-L", socketName));
            command.addAll(List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(10, TimeUnit.SECONDS);
                return out;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void type(String text) {
            run("send-keys", "-t", "irc", "-l", text);
            run("send-keys", "-t", "irc", "Enter");
        }

        String screen() {
            return run("capture-pane", "-p", "-t", "irc");
        }
    }
}
