package chatd.server.testing;

import chatd.cli.api.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A chatd in its own process (same classpath as the tests), for what needs a real process: kill -9,
 * several federated servers. Output goes to a log file named in failure messages.
 */
public final class ChildServer implements AutoCloseable {
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private Process process;

    private ChildServer(Map<String, String> env, int port) throws IOException {
        this.env = env;
        this.port = port;
        this.log = Files.createTempFile("chatd-child-" + env.getOrDefault("SERVER_NAME", "x") + "-", ".log");
    }

    /** Starts a server process with these settings (a free port and a fresh database unless given). */
    public static ChildServer start(Map<String, String> settings) {
        try {
            Map<String, String> env = new HashMap<>();
            int port = settings.containsKey("PORT") ? Integer.parseInt(settings.get("PORT")) : freePort();
            env.put("SERVER_NAME", "child");
            env.put("DBURL", TestDatabases.fresh());
            env.putAll(settings);
            env.put("PORT", Integer.toString(port));
            env.putIfAbsent("PUBLIC_URL", "http://127.0.0.1:" + port);
            ChildServer child = new ChildServer(env, port);
            child.launch();
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port free now, below Linux's ephemeral range (32768 and up), never handed out twice: a port from
     * {@code new ServerSocket(0)} comes from that range, where any outgoing connection (a child dialling its
     * peer) may take it as its local port before the child binds it (seen in CI: "Address already in use").
     */
    public static synchronized int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + RANDOM.nextInt(12_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException inUse) {
                // taken: try another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private void launch() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Dchatd.bcryptCost=4", "-cp", System.getProperty("java.class.path"), "chatd.server.Main"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        awaitHealthy(Duration.ofSeconds(60));
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chatd child exited with " + process.exitValue() + "; log: " + logText());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/.well-known/healthcheck.json"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Wait.pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException("chatd child not healthy within " + timeout + "; log: " + logText());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Map<String, String> env() {
        return env;
    }

    public ApiClient client() {
        return new ApiClient(url());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: the clean shutdown path. */
    public void terminate() {
        process.destroy();
        waitFor();
    }

    /** Starts the process again with the same settings, port and store. */
    public ChildServer restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String logText() {
        try {
            return log + ":\n" + Files.readString(log);
        } catch (IOException e) {
            return log.toString();
        }
    }

    private void waitFor() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            terminate();
        }
    }

}
