package chatd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Wait;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The operator's stop and start (issue 20): SIGTERM (Ctrl-C) ends a busy server in under 2 s, waiting
 * polls answered; a peer dropped from FEDERATION_PEERS but still stored is named at start-up with the
 * way to remove it.
 */
class StopAndPeersTest {
    private static final Duration STOP_BUDGET = Duration.ofSeconds(2);

    @Test
    void sigterm_stops_a_busy_server_in_under_two_seconds_and_stored_peers_are_named() throws Exception {
        int ircPort = ChildServer.freePort();
        Map<String, String> env = new HashMap<>(Map.of("IRC_PORT", Integer.toString(ircPort),
                "FEDERATION_PEERS", "beta=http://127.0.0.1:9", "FEDERATION_KEY", "k", "SERVER_NAME", "alpha"));
        ChildServer server = ChildServer.start(env);
        try (Socket irc = new Socket("127.0.0.1", ircPort)) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            long last = alice.poll(0, 0, 1000).lastId();
            CompletableFuture<ApiClient.Poll> parked = CompletableFuture.supplyAsync(() -> alice.poll(last, 60, 100));
            registerOnIrc(irc);
            Wait.until("the long-poll to be parked", Duration.ofSeconds(20), () -> metric(server, "chatd_polls_in_progress") >= 1);

            long start = System.nanoTime();
            server.terminate();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("stop took " + took.toMillis() + " ms; " + server.logText()).isLessThan(STOP_BUDGET);
            assertThat(parked.get().messages()).as("the parked poll is answered, empty").isEmpty();
        }

        server.env().remove("FEDERATION_PEERS");
        server.restart();
        try {
            Wait.until("the start-up line naming the stored link", Duration.ofSeconds(20),
                    () -> server.logText().contains("federation: also dialling beta (stored links, not in FEDERATION_PEERS)"));
            assertThat(server.logText()).contains("/api/v1/federation/links/<name>");
        } finally {
            server.close();
        }
    }

    private static void registerOnIrc(Socket irc) throws Exception {
        OutputStream out = irc.getOutputStream();
        out.write("NICK bob\r\nUSER bob 0 * :Bob\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        irc.setSoTimeout(20_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(irc.getInputStream(), StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.contains(" 001 ")) {
                return;
            }
        }
        throw new AssertionError("IRC registration did not complete");
    }

    private static double metric(ChildServer server, String name) {
        String text = server.client().raw("GET", "/metrics", null, Map.of()).body();
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElse(0);
    }
}
