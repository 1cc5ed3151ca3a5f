package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Programs;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second real client: WeeChat without a terminal (Debian package {@code weechat-headless}) logs into an
 * account with SASL as the device {@code weeuser/wee}, chats with an HTTP user, drops off and, on
 * reconnecting, gets what was said meanwhile replayed, as from a bouncer. WeeChat headless takes no
 * input, so its side is a script of timed commands ({@code /wait}); the test only waits on what the
 * server and WeeChat's channel log show. Skipped when weechat-headless is missing; CI installs it.
 */
class IrcWeechatTest {
    private static final String PASSWORD = "wee-secret-1";

    @TempDir
    Path home;

    @Test
    void weechat_logs_in_chats_with_an_http_user_and_gets_what_it_missed_replayed() throws Exception {
        assumeTrue(Programs.onPath("weechat-headless"), "weechat-headless is not installed");
        try (TestServer server = TestServer.start(Map.of("IRC_PORT", "0"))) {
            int port = server.server().irc().port();
            server.client().register("weeuser", PASSWORD);
            Mailbox http = new Mailbox(server.client());
            http.api().createSession("webber");
            http.api().send(Envelope.of("JOIN", null, "#wee", List.of(), null));

            // WeeChat's part: connect at once, speak after 5 s, leave at 15 s, come back at 25 s.
            String script = String.join(";",
                    "/set logger.file.flush_delay 0",
                    "/server add chatd 127.0.0.1/" + port + " -notls",
                    "/set irc.server.chatd.nicks weeuser",
                    "/set irc.server.chatd.sasl_mechanism plain",
                    "/set irc.server.chatd.sasl_username weeuser/wee",
                    "/set irc.server.chatd.sasl_password " + PASSWORD,
                    "/set irc.server.chatd.autojoin #wee",
                    "/connect chatd",
                    "/wait 5s /msg -server chatd #wee hello from weechat",
                    "/wait 15s /disconnect chatd",
                    "/wait 25s /connect chatd");
            Process weechat = new ProcessBuilder("weechat-headless", "--dir", home.toString(), "--stdout", "-r", script)
                    .redirectErrorStream(true).redirectOutput(home.resolve("weechat.out").toFile()).start();
            try {
                http.await("WeeChat's JOIN", e -> e.command().equals("JOIN") && "weeuser".equals(e.from()));
                http.api().privmsg("#wee", "hello from http");
                Wait.until("WeeChat to show the HTTP message", Duration.ofSeconds(10),
                        () -> channelLog().contains("webber\thello from http"));
                Envelope said = http.await("WeeChat's message", Mailbox.text("hello from weechat"));
                assertThat(said.from()).isEqualTo("weeuser");
                assertThat(said.to()).isEqualTo("#wee");

                Wait.until("WeeChat to disconnect", Duration.ofSeconds(20), () -> server.server().irc().connectionCount() == 0);
                // The account's session lives on without the device; what is said now waits in its queue.
                assertThat(server.server().core().state().sessionByNick("weeuser")).isNotNull();
                http.api().privmsg("#wee", "said while you were away");

                Wait.until("WeeChat to get the missed line on reconnecting", Duration.ofSeconds(20),
                        () -> channelLog().contains("webber\tsaid while you were away"));
                assertThat(server.server().irc().connectionCount()).isEqualTo(1);
            } finally {
                weechat.destroy();
                weechat.waitFor();
            }
        }
    }

    /** Everything WeeChat logged for #wee (its logger writes at once with flush_delay 0). */
    private String channelLog() {
        Path logs = home.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "";
        }
        try (Stream<Path> files = Files.list(logs)) {
            StringBuilder out = new StringBuilder();
            for (Path f : files.filter(p -> p.getFileName().toString().contains("#wee")).toList()) {
                out.append(Files.readString(f, StandardCharsets.UTF_8));
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
