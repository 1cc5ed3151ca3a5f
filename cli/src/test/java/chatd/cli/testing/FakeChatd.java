package chatd.cli.testing;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.protocol.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A tiny stand-in for the chatd HTTP API (SPEC §3–§5: session, state, server name, long-poll,
 * PRIVMSG/NOTICE/PUBKEY/JOIN/QUIT to channels; {@code #closed} refuses joins with 473), enough to drive the terminal client's whole loop before the real server exists, and to
 * take the listener down and up again on the same port to test reconnection. Not a reference for
 * server behaviour; the real end-to-end test is server/.../e2e/TerminalClientTest.
 */
public final class FakeChatd implements AutoCloseable {
    private record Entry(long seq, Envelope envelope) {}

    private final class Client {
        final String nick;
        final List<Entry> queue = new ArrayList<>();

        Client(String nick) {
            this.nick = nick;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, Set<String>> channels = new LinkedHashMap<>();
    private long seq;
    private int port;
    private HttpServer http;

    public static FakeChatd start() throws IOException {
        FakeChatd fake = new FakeChatd();
        fake.listen(0);
        return fake;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Takes the listener down: clients see connection errors until {@link #up()}. */
    public void down() {
        http.stop(0);
    }

    /** Brings the listener back on the same port, with all state kept. */
    public void up() throws IOException {
        listen(port);
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void listen(int wanted) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/api/v1/", this::handle);
        http.start();
        port = http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            JsonNode body = method.equals("POST") ? Json.MAPPER.readTree(exchange.getRequestBody()) : null;
            if (path.equals("/api/v1/server")) {
                answer(exchange, 200, Json.MAPPER.createObjectNode().put("name", "fake"));
                return;
            }
            if (path.equals("/api/v1/session") && method.equals("POST")) {
                answer(exchange, 201, createSession(body.path("nick").asText()));
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String token = auth == null ? null : auth.replaceFirst("^Bearer ", "");
            lock.lock();
            Client client;
            try {
                client = clients.get(token);
            } finally {
                lock.unlock();
            }
            if (client == null) {
                answer(exchange, 401, Json.MAPPER.createObjectNode().put("error", "no such client").put("code", "unauthorized"));
                return;
            }
            switch (method + " " + path) {
                case "GET /api/v1/state" -> answer(exchange, 200, state(client));
                case "GET /api/v1/messages" -> answer(exchange, 200, poll(client, query(exchange, "after"), query(exchange, "timeout")));
                case "POST /api/v1/messages" -> {
                    command(client, Json.MAPPER.convertValue(body, Envelope.class));
                    answer(exchange, 200, Json.MAPPER.createObjectNode().put("status", "ok"));
                }
                default -> answer(exchange, 404, Json.MAPPER.createObjectNode().put("error", "no route").put("code", "not_found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode createSession(String nick) {
        lock.lock();
        try {
            String token = UUID.randomUUID().toString();
            Client client = new Client(nick);
            clients.put(token, client);
            deliver(client, Envelope.of("001", "fake", nick, List.of(), List.of("Welcome to the fake chatd, " + nick)));
            return Json.MAPPER.createObjectNode().put("id", clients.size()).put("nick", nick).put("token", token);
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode state(Client client) {
        lock.lock();
        try {
            ObjectNode state = Json.MAPPER.createObjectNode().put("nick", client.nick);
            ArrayNode list = state.putArray("channels");
            channels.forEach((name, members) -> {
                if (members.contains(client.nick)) {
                    list.addObject().put("name", name).put("topic", "");
                }
            });
            return state;
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode poll(Client client, long after, long timeout) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(timeout, 5));
        lock.lock();
        try {
            client.queue.removeIf(entry -> entry.seq() <= after); // polling with after=N acknowledges N
            while (client.queue.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                arrived.awaitNanos(left);
            }
            ObjectNode answer = Json.MAPPER.createObjectNode();
            ArrayNode messages = answer.putArray("messages");
            long last = after;
            for (Entry entry : client.queue) {
                messages.add(Json.MAPPER.valueToTree(entry.envelope()));
                last = entry.seq();
            }
            return answer.put("last_id", last);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code envelope} as the client of {@code token}, bypassing HTTP (works while {@link #down()}). */
    public void inject(String token, Envelope envelope) {
        lock.lock();
        try {
            command(clients.get(token), envelope);
        } finally {
            lock.unlock();
        }
    }

    private void command(Client client, Envelope in) {
        lock.lock();
        try {
            Envelope out = in.withIdentity(in.id() != null ? in.id() : UUID.randomUUID().toString(),
                    Instant.now().toString(), client.nick, "fake");
            switch (in.command()) {
                case "JOIN" -> {
                    if (Names.fold(in.to()).equals("#closed")) {
                        deliver(client, Envelope.of("473", "fake", client.nick, List.of(in.to()), List.of("Cannot join channel (+i)")));
                        return;
                    }
                    Set<String> members = channels.computeIfAbsent(Names.fold(in.to()), k -> new LinkedHashSet<>());
                    members.add(client.nick);
                    toChannel(in.to(), out);
                    deliver(client, Envelope.of("353", "fake", client.nick, List.of("=", in.to()), List.of(String.join(" ", members))));
                }
                case "PRIVMSG", "NOTICE", "PUBKEY" -> {
                    if (Names.isChannel(in.to())) {
                        toChannel(in.to(), out);
                    } else {
                        clients.values().stream().filter(c -> c.nick.equalsIgnoreCase(in.to()) || c == client)
                                .forEach(c -> deliver(c, out));
                    }
                }
                case "QUIT" -> channels.values().forEach(members -> members.remove(client.nick));
                default -> deliver(client, Envelope.of("421", "fake", client.nick, List.of(in.command()), List.of("Unknown command")));
            }
        } finally {
            lock.unlock();
        }
    }

    private void toChannel(String channel, Envelope envelope) {
        Set<String> members = channels.getOrDefault(Names.fold(channel), Set.of());
        clients.values().stream().filter(c -> members.contains(c.nick)).forEach(c -> deliver(c, envelope));
    }

    private void deliver(Client client, Envelope envelope) {
        client.queue.add(new Entry(++seq, envelope));
        arrived.signalAll();
    }

    private static long query(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return Long.parseLong(pair.substring(name.length() + 1));
                }
            }
        }
        return 0;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] bytes = Json.writeBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

}
