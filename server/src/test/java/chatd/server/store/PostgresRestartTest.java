package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.protocol.Envelope;
import chatd.server.testing.ThrowawayPostgres;
import chatd.server.testing.TestServer;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under steady traffic (issue 17): the test runs its own cluster and stops it with
 * {@code pg_ctl stop -m fast} while a sender sends (retrying each message with its id until it is
 * acknowledged) and a reader reads. The health check degrades within 10 s, service is back within 30 s
 * of the database, and every acknowledged message is stored and delivered exactly once.
 */
class PostgresRestartTest {
    private static final String CHANNEL = "#steady";

    @Test
    void service_degrades_and_recovers_by_itself_losing_and_duplicating_nothing() throws Exception {
        Path bin = ThrowawayPostgres.binaries();
        assumeTrue(bin != null, "skipped: PostgreSQL's initdb and pg_ctl are not installed");
        try (ThrowawayPostgres pg = ThrowawayPostgres.create(bin);
                TestServer server = TestServer.start(Map.of("DBURL", pg.jdbcUrl()))) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", CHANNEL);
            ApiClient bob = server.client();
            bob.createSession("bob");
            bob.send("JOIN", CHANNEL);

            Sender sender = new Sender(alice);
            Reader reader = new Reader(bob);
            Thread sending = Thread.ofVirtual().start(sender);
            Thread reading = Thread.ofVirtual().start(reader);
            Wait.until("steady traffic", Duration.ofSeconds(30), () -> sender.acked() >= 50);

            pg.stop();
            long stopped = System.nanoTime();
            Wait.until("the health check to degrade", Duration.ofSeconds(10), () -> health(alice) == 503);
            long degradedMillis = (System.nanoTime() - stopped) / 1_000_000;
            int refusedBefore = sender.refused();
            Wait.until("writes refused while the database is down", Duration.ofSeconds(10), () -> sender.refused() >= refusedBefore + 5);

            pg.start();
            long restarted = System.nanoTime();
            int ackedAtRestart = sender.acked();
            Wait.until("service back (health ok and a new message acknowledged)", Duration.ofSeconds(30),
                    () -> health(alice) == 200 && sender.acked() > ackedAtRestart + 1);
            long recoveredMillis = (System.nanoTime() - restarted) / 1_000_000;
            Wait.until("traffic after the restart", Duration.ofSeconds(30), () -> sender.acked() >= ackedAtRestart + 50);

            sender.stop();
            sending.join();
            List<String> acked = sender.ackedIds();
            Wait.until("the reader to get every acknowledged message", Duration.ofSeconds(30),
                    () -> reader.seen().containsAll(acked));
            reader.stop();
            reading.join();

            List<String> delivered = reader.seen();
            assertThat(new HashSet<>(delivered)).as("delivered at most once").hasSize(delivered.size());
            List<String> stored = stored(alice);
            assertThat(new HashSet<>(stored)).as("stored at most once").hasSize(stored.size());
            assertThat(stored).as("every acknowledged message stored, in order").containsSubsequence(acked);
            assertThat(delivered).as("every acknowledged message delivered, in order").containsSubsequence(acked);
            System.out.printf("PostgreSQL restart: %d messages acknowledged, health degraded after %d ms, service back %d ms after the database%n",
                    acked.size(), degradedMillis, recoveredMillis);
        }
    }

    private static int health(ApiClient client) {
        return client.raw("GET", "/.well-known/healthcheck.json", null, Map.of()).status();
    }

    /** The channel's PRIVMSG ids in history, oldest first, read a page of 1,000 at a time. */
    private static List<String> stored(ApiClient client) {
        List<String> ids = new ArrayList<>();
        Long before = null;
        while (true) {
            JsonNode page = client.history(CHANNEL, before, 1000);
            List<String> older = new ArrayList<>();
            for (JsonNode m : page) {
                if (m.path("command").asText().equals("PRIVMSG")) {
                    older.add(m.path("id").asText());
                }
            }
            ids.addAll(0, older);
            if (page.size() < 1000) {
                return ids;
            }
            before = page.get(0).path("seq").asLong();
        }
    }

    /** Sends one message every 20 ms; each is retried with the same id until acknowledged. */
    private static final class Sender implements Runnable {
        private final ApiClient client;
        private final List<String> acked = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger refused = new AtomicInteger();
        private volatile boolean running = true;

        Sender(ApiClient client) {
            this.client = client;
        }

        @Override
        public void run() {
            while (running) {
                String id = UUID.randomUUID().toString();
                Envelope message = Envelope.of("PRIVMSG", null, CHANNEL, List.of(), List.of("steady " + acked.size()))
                        .withIdentity(id, null, null, null);
                while (true) {
                    try {
                        client.send(message);
                        acked.add(id);
                        break;
                    } catch (ApiException e) {
                        assertThat(e.status()).as("only 503 while the store is away: " + e.getMessage()).isEqualTo(503);
                        refused.incrementAndGet();
                        pause(200);
                    } catch (UncheckedIOException e) {
                        pause(200);
                    }
                }
                pause(20);
            }
        }

        int refused() {
            return refused.get();
        }

        int acked() {
            return acked.size();
        }

        List<String> ackedIds() {
            return List.copyOf(acked);
        }

        void stop() {
            running = false;
        }
    }

    /** Long-polls the channel and keeps the ids of the messages delivered, in order. */
    private static final class Reader implements Runnable {
        private final ApiClient client;
        private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;

        Reader(ApiClient client) {
            this.client = client;
        }

        @Override
        public void run() {
            long cursor = 0;
            while (running) {
                ApiClient.Poll p = client.poll(cursor, 1, 500);
                p.messages().stream().filter(e -> e.command().equals("PRIVMSG")).forEach(e -> seen.add(e.id()));
                cursor = p.lastId();
            }
        }

        List<String> seen() {
            return List.copyOf(seen);
        }

        void stop() {
            running = false;
        }
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(Duration.ofMillis(millis).toNanos());
    }
}
