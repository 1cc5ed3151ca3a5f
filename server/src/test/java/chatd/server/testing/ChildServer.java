package chatd.server.testing;

import chatd.cli.api.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

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
