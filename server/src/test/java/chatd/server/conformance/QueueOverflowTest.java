package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that never reads (a sleeping phone, a bot that only sends) holds at most QUEUE_MAX entries, in
 * memory and in the store: the rows of what its queue pushed out go at the janitor's next flush, so its
 * rows, and the messages they keep from history trimming, do not grow with every message it misses.
 */
class QueueOverflowTest {
    private static final int QUEUE_MAX = 5;

    @Test
    void a_client_that_never_reads_keeps_only_its_queue_in_the_store_and_gets_it_after_a_restart() throws Exception {
        try (TestServer server = TestServer.start(Map.of("QUEUE_MAX", Integer.toString(QUEUE_MAX)))) {
            ApiClient sleeper = server.client();
            long sleeperSession = sleeper.createSession("sleeper").id();
            sleeper.send("JOIN", "#busy");
            ApiClient talker = server.client();
            talker.createSession("talker");
            talker.send("JOIN", "#busy");

            // Rounds a flush apart: each settles rows for what the queue holds, later pushed out by the next round.
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < QUEUE_MAX; i++) {
                    talker.privmsg("#busy", "m" + (round * QUEUE_MAX + i));
                }
                server.server().core().flushCursors();
                server.server().core().flushCursors();
            }
            List<Long> rows = queuedRows(server, sleeperSession);
            long deadline = System.currentTimeMillis() + 10_000;
            while (rows.size() != QUEUE_MAX && System.currentTimeMillis() < deadline) {
                server.server().core().flushCursors();
                rows = queuedRows(server, sleeperSession);
            }
            assertThat(rows).as("the store's queue rows of the client that never read").hasSize(QUEUE_MAX);

            server.restart();
            ApiClient.Poll p = sleeper.poll(0, 0, 100);
            assertThat(p.messages()).extracting(e -> e.body().get(0).asText()).containsExactly("m10", "m11", "m12", "m13", "m14");
        }
    }

    private static List<Long> queuedRows(TestServer server, long sessionId) throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(server.dbUrl());
                PreparedStatement ps = c.prepareStatement("SELECT seq FROM inbox WHERE session_id = ? ORDER BY seq")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        return seqs;
    }
}
