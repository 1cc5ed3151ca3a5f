package chatd.bench;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The database restarted under steady traffic (issue 17): a sender sends at a fixed rate, each message
 * with its own id and resent with it until acknowledged, a reader long-polls; then {@code pg_ctl restart
 * -m fast} on the cluster behind --pg-url. Reports how soon the health check degraded, how long after
 * the database was back the first write was acknowledged and the health check was ok again, and
 * whether any acknowledged message was lost or delivered twice.
 */
@Command(name = "dbrestart", mixinStandardHelpOptions = true,
        description = "PostgreSQL restarted under steady traffic: time to recover, nothing lost or doubled")
final class FaultScenario extends Scenario {
    private static final String CHANNEL = "#fault";

    @Option(names = "--pg-data", required = true, description = "data directory of the cluster behind --pg-url (restarted with pg_ctl)")
    Path pgData;

    @Option(names = "--pg-ctl", description = "pg_ctl to use (default ${DEFAULT-VALUE})")
    String pgCtl = "pg_ctl";

    @Option(names = "--rate", description = "messages a second (default ${DEFAULT-VALUE})")
    int rate = 50;

    @Option(names = "--seconds", description = "steady traffic before and after the restart (default ${DEFAULT-VALUE})")
    int seconds = 5;

    private final List<String> acked = Collections.synchronizedList(new ArrayList<>());
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running = true;

    @Override
    Report run() throws Exception {
        if (opts.url != null || !opts.postgres()) {
            throw new Unavailable("dbrestart: needs --db postgres with --pg-url and --pg-data, and starts the server itself");
        }
        Server server = server("fault", Map.of());
        Api.User sender = Api.createSession(server.url, 0, "sender");
        Api.User reader = Api.createSession(server.url, 1, "reader");
        sender.join(CHANNEL);
        reader.join(CHANNEL);
        long cursor = Api.drain(reader, 0);
        Thread sending = Thread.ofPlatform().start(() -> send(sender));
        Thread reading = Thread.ofPlatform().start(() -> read(reader, cursor));
        pause(seconds * 1000L);

        HttpConn health = new HttpConn(server.url, 10_000);
        long before = acked.size();
        long t0 = System.nanoTime();
        Thread restart = Thread.ofPlatform().start(this::restartDatabase);
        long degraded = waitFor(() -> health.get(Api.HEALTH, null).status() == 503, 30_000);
        long degradedMs = degraded < 0 ? -1 : (degraded - t0) / 1_000_000;
        restart.join();
        long back = System.nanoTime();
        long ackedAtBack = acked.size();
        long healthOk = waitFor(() -> health.get(Api.HEALTH, null).ok(), 60_000);
        long firstAck = waitFor(() -> acked.size() > ackedAtBack, 60_000);
        pause(seconds * 1000L);
        running = false;
        sending.join();
        List<String> sent = List.copyOf(acked);
        waitFor(() -> new HashSet<>(delivered).containsAll(sent), 30_000);
        reading.interrupt();
        reading.join(70_000);
        health.close();

        Set<String> seen = new HashSet<>();
        long duplicated = delivered.stream().filter(id -> !seen.add(id)).count();
        long lost = sent.stream().filter(id -> !seen.contains(id)).count();
        Report report = new Report("dbrestart — PostgreSQL restarted (pg_ctl restart -m fast) under " + rate + " msgs/s");
        report.row("acknowledged before the restart / in all", before + " / " + sent.size());
        report.row("writes answered 503 meanwhile (resent with their id)", Long.toString(refused.get()));
        report.row("health check degraded after the restart began", degradedMs < 0 ? "never" : degradedMs + " ms");
        report.row("health check ok again after the database was back", healthOk < 0 ? "never" : (healthOk - back) / 1_000_000 + " ms");
        report.row("first write acknowledged after the database was back", firstAck < 0 ? "never" : (firstAck - back) / 1_000_000 + " ms");
        report.errors(errors);
        report.require(lost == 0, "0 acknowledged messages lost (" + lost + ")");
        report.require(duplicated == 0, "0 delivered twice (" + duplicated + ")");
        report.target(firstAck >= 0 && firstAck - back <= TimeUnit.SECONDS.toNanos(30), "writes back within 30 s of the database");
        return report;
    }

    private void send(Api.User sender) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        while (running) {
            String id = UUID.randomUUID().toString();
            String body = "{\"id\":\"" + id + "\",\"command\":\"PRIVMSG\",\"to\":\"" + CHANNEL + "\",\"body\":[\"m\"]}";
            while (true) {
                try {
                    HttpConn.Response r = sender.command(body);
                    if (r.ok()) {
                        acked.add(id);
                        break;
                    }
                    if (r.status() == 503) {
                        refused.incrementAndGet();
                    } else {
                        errors.add("PRIVMSG", r);
                    }
                } catch (IOException e) {
                    errors.add("PRIVMSG", e);
                }
                pause(200);
            }
            LockSupport.parkNanos(interval);
        }
    }

    private void read(Api.User reader, long after) {
        long cursor = after;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpConn.Response r = reader.conn.get("/api/v1/messages?after=" + cursor + "&timeout=5&limit=1000", reader.token);
                if (!r.ok()) {
                    errors.add("poll", r);
                    pause(200);
                    continue;
                }
                JsonNode n = Json.MAPPER.readTree(r.body());
                for (JsonNode m : n.path("messages")) {
                    if (m.path("command").asText().equals("PRIVMSG")) {
                        delivered.add(m.path("id").asText());
                    }
                }
                cursor = n.path("last_id").asLong(cursor);
            } catch (IOException e) {
                errors.add("poll", e);
                pause(200);
            }
        }
    }

    private void restartDatabase() {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(pgCtl, "-D", pgData.toString(), "-m", "fast", "-w", "restart"));
        // To a file, not a pipe: the new postmaster inherits pg_ctl's output and would hold a pipe open.
        Path log = dir.resolve("pg_ctl.log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (p.waitFor() != 0) {
                errors.add("pg_ctl restart", "exit " + p.exitValue() + ", see " + log);
            }
        } catch (IOException e) {
            errors.add("pg_ctl restart", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws IOException;
    }

    /** Answers System.nanoTime when {@code check} first held, or -1 after {@code timeoutMs}. */
    private long waitFor(Check check, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                // the server is busy answering others; try again
            }
            pause(20);
        }
        return -1;
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
