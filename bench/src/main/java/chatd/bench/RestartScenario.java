package chatd.bench;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A store holding a million messages (spread over channels so retention keeps them all): time from
 * process start to the first successful poll of an existing client. The messages are bulk-inserted as
 * copies of PRIVMSGs the server wrote itself; after each restart the history and a new message are checked.
 */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "start-up time on a store of 1,000,000 messages")
final class RestartScenario extends Scenario {
    private static final Pattern RESTORED = Pattern.compile("restored in (\\d+) ms");

    @Option(names = "--messages", description = "stored messages (default ${DEFAULT-VALUE})")
    long messages = 1_000_000;

    @Option(names = "--channels", description = "channels they are spread over (default ${DEFAULT-VALUE}; MAX_HISTORY is 10,000 per channel)")
    int channels = 100;

    @Option(names = "--runs", description = "restarts measured (default ${DEFAULT-VALUE})")
    int runs = 3;

    @Override
    Report run() throws Exception {
        if (opts.url != null) {
            throw new Unavailable("restart: needs to start the server itself (no --url)");
        }
        Server.Launch launch = Server.launch(opts, "restart", dir, newDatabase("restart"), Map.of());
        Server server = start(launch);
        Api.User reader = Api.createSession(server.url, 0, "reader");
        for (int i = 0; i < channels; i++) {
            reader.join("#r" + i);
            HttpConn.Response r = reader.privmsg("#r" + i, "seed");
            if (!r.ok()) {
                throw new IOException("seed PRIVMSG: " + r.status() + " " + r.text());
            }
        }
        long cursor = Api.drain(reader, 0);
        reader.conn.close();
        server.stop();
        forget(server);
        log("bulk-inserting %,d messages", messages - channels);
        long s0 = System.nanoTime();
        long maxSeq;
        try (Seeder seeder = new Seeder(launch.dbUrl())) {
            List<Map<String, Object>> templates = seeder.rows("SELECT * FROM messages WHERE command = 'PRIVMSG' ORDER BY seq");
            if (templates.size() != channels) {
                throw new IOException("expected " + channels + " template messages, found " + templates.size());
            }
            maxSeq = seeder.messages(templates, messages - channels);
        }
        double seedSecs = seconds(System.nanoTime() - s0);
        String size = storeSize(launch.dbUrl());

        Report report = new Report("restart — " + opts.dbLabel() + ", store of " + Report.num(messages) + " messages in " + channels
                + " channels (" + size + ")");
        List<Double> times = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long t0 = System.nanoTime();
            Server s = spawn(launch);
            HttpConn.Response first = null;
            try (HttpConn c = new HttpConn(s.url, 60_000)) {
                long deadline = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < deadline && s.alive()) {
                    try {
                        first = c.get("/api/v1/messages?after=" + cursor + "&timeout=0", reader.token);
                        if (first.ok()) {
                            break;
                        }
                    } catch (IOException notYet) {
                        c.close();
                    }
                    Thread.sleep(5);
                }
            }
            double secs = seconds(System.nanoTime() - t0);
            if (first == null || !first.ok()) {
                errors.add("first poll", first == null ? "server never answered" : first.status() + " " + first.text());
                report.row("run " + (run + 1), "no successful poll: " + s.tail());
                s.stop();
                forget(s);
                continue;
            }
            times.add(secs);
            Matcher m = RESTORED.matcher(s.logText());
            String restored = "";
            while (m.find()) {
                restored = "server log: started in " + m.group(1) + " ms after main()";
            }
            report.row("run " + (run + 1) + ": process start → first successful poll", String.format("%.2f s %s", secs,
                    restored.isEmpty() ? "" : "(" + restored + ")"));
            cursor = check(s, reader.token, cursor, maxSeq, run);
            report.row("run " + (run + 1) + ": GET /history/targets for the " + channels + " channels", targets(s, reader.token));
            if (run == runs - 1) {
                report.memory(s);
            }
            s.stop();
            forget(s);
        }
        report.row("bulk insert", String.format("%.1f s", seedSecs));
        report.errors(errors);
        report.require(times.size() == runs, "every restart served a poll");
        report.target(!times.isEmpty() && times.stream().mapToDouble(Double::doubleValue).max().getAsDouble() <= 5.0, "serving within 5 s");
        return report;
    }

    /** The newest history page of one channel is the seeded tail, and a new message reaches the reader. */
    private long check(Server s, String token, long cursor, long maxSeq, int run) throws IOException {
        try (HttpConn c = new HttpConn(s.url, 60_000)) {
            HttpConn.Response h = c.get("/api/v1/history?target=%23r0&limit=100", token);
            JsonNode msgs = h.ok() ? Json.MAPPER.readTree(h.body()).path("messages") : null;
            if (msgs == null || msgs.size() != 100) {
                errors.add("history", h.status() + " " + (msgs == null ? h.text() : msgs.size() + " messages, expected 100"));
            }
            HttpConn.Response p = c.post("/api/v1/messages", token, "{\"command\":\"PRIVMSG\",\"to\":\"#r1\",\"body\":[\"after restart " + run + "\"]}");
            if (!p.ok()) {
                errors.add("PRIVMSG", p);
                return cursor;
            }
            HttpConn.Response got = c.get("/api/v1/messages?after=" + cursor + "&timeout=5", token);
            if (!got.ok() || !got.text().contains("after restart " + run)) {
                errors.add("delivery after restart", got.status() + " " + got.text());
            }
            long last = Json.MAPPER.readTree(got.body()).path("last_id").asLong(cursor);
            if (last <= maxSeq) {
                errors.add("seq after restart", "new message got a seq not above the seeded ones");
            }
            return last;
        }
    }

    /**
     * The reader's conversations by recent activity (what a client asks on connecting: CHATHISTORY TARGETS), timed:
     * every channel listed, and #r1, the one written to after the restart, last.
     */
    private String targets(Server s, String token) throws IOException {
        try (HttpConn c = new HttpConn(s.url, 60_000)) {
            long t0 = System.nanoTime();
            HttpConn.Response r = c.get("/api/v1/history/targets?messages_only=true&limit=1000", token);
            double ms = (System.nanoTime() - t0) / 1e6;
            JsonNode targets = r.ok() ? Json.MAPPER.readTree(r.body()).path("targets") : null;
            if (targets == null || targets.size() != channels || !targets.get(channels - 1).path("target").asText().equals("#r1")) {
                errors.add("history targets", r.status() + " " + (targets == null ? r.text() : targets.size() + " targets, expected "
                        + channels + " with #r1 last"));
            }
            return String.format("%.1f ms", ms);
        }
    }

    private static String storeSize(String dbUrl) {
        if (!dbUrl.startsWith("jdbc:sqlite:")) {
            return "PostgreSQL";
        }
        try {
            Path p = Path.of(dbUrl.substring("jdbc:sqlite:".length()));
            return String.format("%.0f MiB SQLite file", Files.size(p) / 1048576.0);
        } catch (IOException e) {
            return "SQLite";
        }
    }
}
