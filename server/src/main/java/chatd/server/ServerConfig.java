package chatd.server;

import chatd.protocol.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole configuration (SPEC §9), validated once at start-up: a bad value stops the server with
 * one line that names the setting. Each setting comes from its environment variable or the matching
 * {@code --flag} (flags win).
 */
public record ServerConfig(
        String bind,
        int port,
        String dbUrl,
        String serverName,
        String publicUrl,
        String motd,
        int maxHistory,
        int maxMessageSize,
        int queueMax,
        Duration sessionIdleTimeout,
        int hashcashBits,
        int loginRateLimit,
        String adminToken,
        String federationPolicy,
        String federationKey,
        Map<String, String> federationPeers,
        Integer ircPort,
        String metricsUsername,
        String metricsPassword,
        Integer ircTlsPort,
        Path ircTlsKeystore,
        String ircTlsPassword,
        int federationOutboxMax,
        Duration federationOutboxMaxAge,
        String operators) {

    /** One documented setting: its variable, flag, default and meaning (used by --help). */
    public record Setting(String env, String defaultValue, String help) {
        public String flag() {
            return "--" + env.toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final List<Setting> SETTINGS = List.of(
            new Setting("PORT", "8080", "HTTP port (0 picks a free one)"),
            new Setting("BIND", "127.0.0.1", "address to listen on"),
            new Setting("DBURL", "jdbc:sqlite:data/chatd.db", "jdbc:sqlite:<file> or jdbc:postgresql://host/db?user=..&password=.."),
            new Setting("SERVER_NAME", "localhost", "this server's name, unique in the federation"),
            new Setting("PUBLIC_URL", "http://<BIND>:<PORT>", "how peers reach this server"),
            new Setting("MOTD", "Welcome to chatd.", "message of the day"),
            new Setting("MAX_HISTORY", "10000", "messages kept per channel or DM"),
            new Setting("MAX_MESSAGE_SIZE", "16384", "largest request body in bytes"),
            new Setting("QUEUE_MAX", "10000", "undelivered entries kept per client"),
            new Setting("SESSION_IDLE_TIMEOUT", "24h", "a client with no request for this long ends (e.g. 30m, 24h, 7d)"),
            new Setting("HASHCASH_BITS", "0", "proof-of-work bits for new sessions (0 = off)"),
            new Setting("LOGIN_RATE_LIMIT", "10", "login attempts per minute per source address"),
            new Setting("ADMIN_TOKEN", "", "bearer token for the admin endpoints (empty = admin off)"),
            new Setting("FEDERATION_POLICY", "allowlist", "disabled | allowlist | open"),
            new Setting("FEDERATION_KEY", "", "shared key for links that have none of their own"),
            new Setting("FEDERATION_PEERS", "", "name=url[,name=url...] dialled at start-up"),
            new Setting("IRC_PORT", "", "TCP port of the IRC gateway (off when empty)"),
            new Setting("METRICS_USERNAME", "", "basic-auth user for /metrics (open when empty)"),
            new Setting("METRICS_PASSWORD", "", "basic-auth password for /metrics"),
            new Setting("IRC_TLS_PORT", "", "TLS port of the IRC gateway (off when empty; needs IRC_TLS_KEYSTORE)"),
            new Setting("IRC_TLS_KEYSTORE", "", "PKCS#12 file with the IRC gateway's certificate and key"),
            new Setting("IRC_TLS_PASSWORD", "", "password of IRC_TLS_KEYSTORE"),
            new Setting("FEDERATION_OUTBOX_MAX", "100000", "events kept per unreachable peer; past it the oldest are dropped (counted)"),
            new Setting("FEDERATION_OUTBOX_MAX_AGE", "48h", "events older than this are dropped from a peer's outbox (counted); under the 3-day dedup window"),
            new Setting("OPERATORS", "", "server operators for OPER: name:password[,name:password...] (none when empty)"));

    public ServerConfig {
        require(port >= 0 && port <= 65535, "PORT", "must be 0-65535");
        require(Names.isValidServer(serverName.toLowerCase(Locale.ROOT)), "SERVER_NAME", "must be 1-63 of a-z 0-9 - . (any case)");
        require(dbUrl.startsWith("jdbc:sqlite:") || dbUrl.startsWith("jdbc:postgresql:"), "DBURL",
                "must start with jdbc:sqlite: or jdbc:postgresql:");
        require(maxHistory > 0, "MAX_HISTORY", "must be positive");
        require(maxMessageSize >= 512, "MAX_MESSAGE_SIZE", "must be at least 512");
        require(queueMax > 0, "QUEUE_MAX", "must be positive");
        require(!sessionIdleTimeout.isNegative() && !sessionIdleTimeout.isZero(), "SESSION_IDLE_TIMEOUT", "must be positive");
        require(hashcashBits >= 0 && hashcashBits <= 40, "HASHCASH_BITS", "must be 0-40");
        require(loginRateLimit > 0, "LOGIN_RATE_LIMIT", "must be positive");
        require(List.of("disabled", "allowlist", "open").contains(federationPolicy), "FEDERATION_POLICY",
                "must be disabled, allowlist or open");
        require(ircPort == null || (ircPort >= 0 && ircPort <= 65535), "IRC_PORT", "must be 0-65535");
        require(ircTlsPort == null || (ircTlsPort >= 0 && ircTlsPort <= 65535), "IRC_TLS_PORT", "must be 0-65535");
        require(ircTlsPort == null || (ircTlsKeystore != null && java.nio.file.Files.isReadable(ircTlsKeystore)),
                "IRC_TLS_KEYSTORE", "must name a readable PKCS#12 file when IRC_TLS_PORT is set");
        require(validOperators(operators), "OPERATORS", "must be name:password[,name:password...]");
        require(federationOutboxMax > 0, "FEDERATION_OUTBOX_MAX", "must be positive");
        require(federationOutboxMaxAge.compareTo(Duration.ofMinutes(1)) >= 0 && federationOutboxMaxAge.compareTo(Duration.ofDays(3)) < 0,
                "FEDERATION_OUTBOX_MAX_AGE", "must be at least 1m and under 3d (a peer's dedup window)");
        federationPeers = Map.copyOf(federationPeers);
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
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            String v = env.get(s.env());
            if (v != null && !v.isEmpty()) {
                values.put(s.env(), v);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            Setting setting = null;
            String value = null;
            for (Setting s : SETTINGS) {
                if (arg.equals(s.flag())) {
                    setting = s;
                    if (i + 1 >= args.length) {
                        throw new ConfigException(s.flag() + " needs a value");
                    }
                    value = args[++i];
                } else if (arg.startsWith(s.flag() + "=")) {
                    setting = s;
                    value = arg.substring(s.flag().length() + 1);
                }
            }
            if (setting == null) {
                throw new ConfigException("unknown option " + arg + " (see --help)");
            }
            values.put(setting.env(), value);
        }
        String bind = values.getOrDefault("BIND", "127.0.0.1");
        int port = integer(values, "PORT", 8080);
        return new ServerConfig(
                bind,
                port,
                values.getOrDefault("DBURL", "jdbc:sqlite:data/chatd.db"),
                values.getOrDefault("SERVER_NAME", "localhost"),
                values.getOrDefault("PUBLIC_URL", "http://" + bind + ":" + port),
                values.getOrDefault("MOTD", "Welcome to chatd."),
                integer(values, "MAX_HISTORY", 10000),
                integer(values, "MAX_MESSAGE_SIZE", 16384),
                integer(values, "QUEUE_MAX", 10000),
                duration(values, "SESSION_IDLE_TIMEOUT", "24h"),
                integer(values, "HASHCASH_BITS", 0),
                integer(values, "LOGIN_RATE_LIMIT", 10),
                values.getOrDefault("ADMIN_TOKEN", ""),
                values.getOrDefault("FEDERATION_POLICY", "allowlist"),
                values.getOrDefault("FEDERATION_KEY", ""),
                peers(values.getOrDefault("FEDERATION_PEERS", "")),
                values.containsKey("IRC_PORT") ? integer(values, "IRC_PORT", 0) : null,
                values.getOrDefault("METRICS_USERNAME", ""),
                values.getOrDefault("METRICS_PASSWORD", ""),
                values.containsKey("IRC_TLS_PORT") ? integer(values, "IRC_TLS_PORT", 0) : null,
                values.containsKey("IRC_TLS_KEYSTORE") ? Path.of(values.get("IRC_TLS_KEYSTORE")) : null,
                values.getOrDefault("IRC_TLS_PASSWORD", ""),
                integer(values, "FEDERATION_OUTBOX_MAX", 100_000),
                duration(values, "FEDERATION_OUTBOX_MAX_AGE", "48h"),
                values.getOrDefault("OPERATORS", ""));
    }

    /** A copy with another port and database (tests, benchmarks). */
    public ServerConfig withStore(int newPort, String newDbUrl) {
        return new ServerConfig(bind, newPort, newDbUrl, serverName, publicUrl, motd, maxHistory, maxMessageSize,
                queueMax, sessionIdleTimeout, hashcashBits, loginRateLimit, adminToken, federationPolicy,
                federationKey, federationPeers, ircPort, metricsUsername, metricsPassword, ircTlsPort, ircTlsKeystore,
                ircTlsPassword, federationOutboxMax, federationOutboxMaxAge, operators);
    }

    /** The SQLite file of a jdbc:sqlite: URL, or null for PostgreSQL. */
    public Path sqliteFile() {
        return dbUrl.startsWith("jdbc:sqlite:") ? Path.of(dbUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "")) : null;
    }

    public static String help() {
        StringBuilder out = new StringBuilder("Usage: chatd [--option value]...\n\nEvery option can also be set by its environment variable.\n\n");
        for (Setting s : SETTINGS) {
            out.append(String.format("  %-26s %-22s %s (default: %s)%n", s.flag() + " <v>", s.env(), s.help(),
                    s.defaultValue().isEmpty() ? "none" : s.defaultValue()));
        }
        return out.toString();
    }

    private static int integer(Map<String, String> values, String key, int fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + v + "' is not a whole number");
        }
    }

    static Duration duration(Map<String, String> values, String key, String fallback) {
        String v = values.getOrDefault(key, fallback).trim().toLowerCase(Locale.ROOT);
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

    private static Map<String, String> peers(String spec) {
        Map<String, String> peers = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (String part : spec.split(",")) {
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
            throw new ConfigException("FEDERATION_PEERS: expected name=url entries, got " + bad);
        }
        return peers;
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
