package chatd.server;

import java.util.Arrays;

/** Entry point of bin/chatd: configuration from the environment and flags, clean stop on SIGTERM. */
public final class Main {
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(ServerConfig.help());
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(System.getenv(), args);
        } catch (ServerConfig.ConfigException e) {
            System.err.println("chatd: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChatServer server;
        try {
            server = ChatServer.create(config).start();
        } catch (RuntimeException e) {
            System.err.println("chatd: cannot start: " + rootMessage(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "chatd-shutdown"));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
