package chatd.server;

import java.util.Map;

/** Entry point of bin/chatd: configuration from the environment and flags, clean stop on SIGTERM. */
public final class Main {
    /** Exit status of a configuration or start-up problem the operator can fix (a bad value, a busy port). */
    static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        ServerConfig config;
        try {
            Map<String, String> values = Settings.read(System.getenv(), args);
            if (values == null) {
                System.out.print(Settings.help());
                return;
            }
            config = ServerConfig.from(values);
        } catch (ServerConfig.ConfigException e) {
            fail("configuration error: " + e.getMessage(), e);
            return;
        }
        ChatServer server;
        try {
            server = ChatServer.create(config).start();
        } catch (StartupFailure e) {
            fail("cannot start: " + e.getMessage(), e);
            return;
        } catch (RuntimeException e) {
            fail("cannot start: " + StartupFailure.reason(e), e);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "chatd-shutdown"));
    }

    /** One line for the operator; the stack trace only when asked for (CHATD_DEBUG=1). */
    private static void fail(String line, Throwable e) {
        System.err.println("chatd: " + line);
        if ("1".equals(System.getenv("CHATD_DEBUG"))) {
            e.printStackTrace();
        }
        System.exit(EXIT_CONFIG);
    }
}
