package chatd.server.testing;

import chatd.cli.api.ApiClient;
import chatd.server.ChatServer;
import chatd.server.ServerConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * A real chatd (store, core, HTTP) in this JVM on a free port, with a fresh database. Settings are the
 * environment variables of SPEC §9. {@link #restart()} stops it and starts a new one on the same store.
 */
public final class TestServer implements AutoCloseable {
    static {
        System.setProperty("chatd.bcryptCost", "4");
    }

    private final Map<String, String> env;
    private ChatServer server;

    private TestServer(Map<String, String> env) {
        this.env = env;
        this.server = ChatServer.create(ServerConfig.load(env, new String[0])).start();
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts with these settings on top of the test defaults (port 0, fresh database, name "test"). */
    public static TestServer start(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("SERVER_NAME", "test");
        env.put("DBURL", TestDatabases.fresh());
        env.putAll(settings);
        return new TestServer(env);
    }

    public String url() {
        return server.url();
    }

    public ChatServer server() {
        return server;
    }

    public String dbUrl() {
        return env.get("DBURL");
    }

    /** A new API client (no token yet) for this server. */
    public ApiClient client() {
        return new ApiClient(url());
    }

    /** Stops cleanly and starts again on the same store (and the same port when it is still free). */
    public TestServer restart() {
        int port = server.port();
        server.stop();
        env.put("PORT", Integer.toString(port));
        server = ChatServer.create(ServerConfig.load(env, new String[0])).start();
        return this;
    }

    @Override
    public void close() {
        server.stop();
    }
}
