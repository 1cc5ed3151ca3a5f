package chatd.server;

import chatd.protocol.Names;
import chatd.server.irc.ConnectionClass;
import chatd.server.irc.ConnectionClasses;
import chatd.server.irc.ExemptGrants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole configuration (SPEC §9) as a small tree, each section validated in its own constructor: a
 * bad value stops the server with one line that names the setting. The settings themselves (variables,
 * flags, defaults) are listed in {@link Settings}.
 *
 * @param serverName this server's name, unique in the federation
 * @param motd       message of the day
 */
public record ServerConfig(String serverName, String motd, Http http, Store store, Limits limits, Security security,
        Federation federation, Irc irc) {

    public ServerConfig {
        require(Names.isValidServer(serverName.toLowerCase(Locale.ROOT)), "SERVER_NAME", "must be 1-63 of a-z 0-9 - . (any case)");
    }

    /** The HTTP listener: where it listens, how peers reach it, the largest body it reads. */
    public record Http(String bind, int port, String publicUrl, int maxMessageSize) {
        public Http {
            requirePort(port, "PORT");
            require(!bind.isBlank(), "BIND", "must be an address or host name");
            require(maxMessageSize >= 512, "MAX_MESSAGE_SIZE", "must be at least 512");
        }
    }

    /** The database, and how much history it keeps. */
    public record Store(String dbUrl, int maxHistory) {
        public Store {
            require(dbUrl.startsWith("jdbc:sqlite:") || dbUrl.startsWith("jdbc:postgresql:"), "DBURL",
                    "must start with jdbc:sqlite: or jdbc:postgresql:");
            require(maxHistory > 0, "MAX_HISTORY", "must be positive");
        }

        /** The SQLite file of a jdbc:sqlite: URL, or null for PostgreSQL. */
        public Path sqliteFile() {
            return dbUrl.startsWith("jdbc:sqlite:") ? Path.of(dbUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "")) : null;
        }
    }

    /** What one client or address may hold or do. */
    public record Limits(int queueMax, Duration sessionIdleTimeout, int loginRateLimit, int hashcashBits) {
        public Limits {
            require(queueMax > 0, "QUEUE_MAX", "must be positive");
            require(sessionIdleTimeout.isPositive(), "SESSION_IDLE_TIMEOUT", "must be positive");
            require(loginRateLimit > 0, "LOGIN_RATE_LIMIT", "must be positive");
            require(hashcashBits >= 0 && hashcashBits <= 40, "HASHCASH_BITS", "must be 0-40");
        }
    }

    /**
     * Credentials of the operator's endpoints; empty means off (admin) or open (metrics). {@code operators}
     * are the server operators of OPER, {@code name:password[,name:password...]}.
     */
    public record Security(String adminToken, String metricsUsername, String metricsPassword, String operators) {
        public Security {
            require(validOperators(operators), "OPERATORS", "must be name:password[,name:password...]");
        }
    }

    /** Server-to-server links, and the bounds of each peer's outbox of undelivered events. */
    public record Federation(String policy, String key, Map<String, String> peers, int outboxMax, Duration outboxMaxAge) {
        public Federation {
            require(List.of("disabled", "allowlist", "open").contains(policy), "FEDERATION_POLICY",
                    "must be disabled, allowlist or open");
            require(outboxMax > 0, "FEDERATION_OUTBOX_MAX", "must be positive");
            require(outboxMaxAge.compareTo(Duration.ofMinutes(1)) >= 0 && outboxMaxAge.compareTo(Duration.ofDays(3)) < 0,
                    "FEDERATION_OUTBOX_MAX_AGE", "must be at least 1m and under 3d (a peer's dedup window)");
            peers = Map.copyOf(peers);
        }

        public boolean enabled() {
            return !policy.equals("disabled");
        }
    }

    /** The IRC gateway's ports (null = that port is off), TLS certificate and connection classes. */
    public record Irc(Integer port, Integer tlsPort, Path tlsKeystore, String tlsPassword, ConnectionClasses classes) {
        public Irc {
            if (port != null) {
                requirePort(port, "IRC_PORT");
            }
            if (tlsPort != null) {
                requirePort(tlsPort, "IRC_TLS_PORT");
                require(tlsKeystore != null && Files.isReadable(tlsKeystore), "IRC_TLS_KEYSTORE",
                        "must name a readable PKCS#12 file when IRC_TLS_PORT is set");
            }
        }

        public boolean enabled() {
            return port != null || tlsPort != null;
        }
    }

    private static boolean validOperators(String spec) {
        try {
            chatd.server.core.command.Operators.parse(spec);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads the settings from the environment, overridden by {@code --flag value} or {@code --flag=value}. */
    public static ServerConfig load(Map<String, String> env, String[] args) {
        Map<String, String> values = Settings.read(env, args);
        if (values == null) {
            throw new ConfigException("--help is not a configuration");
        }
        return from(values);
    }

    /** The configuration of these values (by variable name); absent ones take their default. */
    public static ServerConfig from(Map<String, String> given) {
        Values v = new Values(given);
        String bind = v.text("BIND");
        int port = v.integer("PORT");
        String publicUrl = v.text("PUBLIC_URL");
        return new ServerConfig(
                v.text("SERVER_NAME"),
                v.text("MOTD"),
                new Http(bind, port, publicUrl.equals(Settings.DERIVED_PUBLIC_URL) ? "http://" + bind + ":" + port : publicUrl,
                        v.integer("MAX_MESSAGE_SIZE")),
                new Store(v.text("DBURL"), v.integer("MAX_HISTORY")),
                new Limits(v.integer("QUEUE_MAX"), v.duration("SESSION_IDLE_TIMEOUT"), v.integer("LOGIN_RATE_LIMIT"),
                        v.integer("HASHCASH_BITS")),
                new Security(v.text("ADMIN_TOKEN"), v.text("METRICS_USERNAME"), v.text("METRICS_PASSWORD"), v.text("OPERATORS")),
                new Federation(v.text("FEDERATION_POLICY"), v.text("FEDERATION_KEY"), v.peers("FEDERATION_PEERS"),
                        v.integer("FEDERATION_OUTBOX_MAX"), v.duration("FEDERATION_OUTBOX_MAX_AGE")),
                new Irc(v.optionalInteger("IRC_PORT"), v.optionalInteger("IRC_TLS_PORT"),
                        v.text("IRC_TLS_KEYSTORE").isEmpty() ? null : Path.of(v.text("IRC_TLS_KEYSTORE")), v.text("IRC_TLS_PASSWORD"),
                        new ConnectionClasses(v.connectionClass("IRC_CLASS_ANONYMOUS", "anonymous"),
                                v.connectionClass("IRC_CLASS_ACCOUNT", "account"), v.connectionClass("IRC_CLASS_EXEMPT", "exempt"),
                                v.exemptGrants("IRC_EXEMPT"))));
    }

    /** Given values by variable name, each parsed with an error that names it; defaults from {@link Settings#ALL}. */
    private record Values(Map<String, String> given) {
        String text(String key) {
            String value = given.get(key);
            if (value != null) {
                return value;
            }
            return Settings.ALL.stream().filter(s -> s.env().equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no setting " + key)).defaultValue();
        }

        int integer(String key) {
            String v = text(key);
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + ": '" + v + "' is not a whole number");
            }
        }

        Integer optionalInteger(String key) {
            return text(key).isEmpty() ? null : integer(key);
        }

        Duration duration(String key) {
            String v = text(key).trim().toLowerCase(Locale.ROOT);
            try {
                if (v.matches("\\d+")) {
                    return Duration.ofSeconds(Long.parseLong(v));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new NumberFormatException();
                };
            } catch (RuntimeException e) {
                throw new ConfigException(key + ": '" + v + "' is not a duration like 90s, 30m, 24h or 7d");
            }
        }

        ConnectionClass connectionClass(String key, String name) {
            String v = text(key);
            try {
                return ConnectionClass.parse(name, v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": '" + v + "' " + e.getMessage());
            }
        }

        ExemptGrants exemptGrants(String key) {
            try {
                return ExemptGrants.parse(text(key));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        }

        Map<String, String> peers(String key) {
            Map<String, String> peers = new LinkedHashMap<>();
            List<String> bad = new ArrayList<>();
            for (String part : text(key).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0 || !Names.isValidServer(part.substring(0, eq).trim())) {
                    bad.add(part);
                } else {
                    peers.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
            if (!bad.isEmpty()) {
                throw new ConfigException(key + ": expected name=url entries, got " + bad);
            }
            return peers;
        }
    }

    private static void requirePort(int port, String key) {
        require(port >= 0 && port <= 65535, key, "must be 0-65535");
    }

    private static void require(boolean ok, String key, String what) {
        if (!ok) {
            throw new ConfigException(key + " " + what);
        }
    }

    /** A configuration error: its message is the one line printed before exiting. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
