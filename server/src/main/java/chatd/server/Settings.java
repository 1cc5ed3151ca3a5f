package chatd.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every setting of SPEC §9 in one table: its environment variable, its flag ({@code PORT} → {@code --port}),
 * its default and what it means. The table feeds {@code --help}, the defaults of {@link ServerConfig} and
 * the test that holds README's settings table to it. Flags are parsed by picocli; a flag wins over its
 * variable.
 */
public final class Settings {
    /** One setting. {@code defaultValue} "" means unset (off, none, open). */
    public record Setting(String env, String defaultValue, String help) {
        public String flag() {
            return "--" + env.toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** PUBLIC_URL's default is derived from BIND and PORT; the table shows it as the README does. */
    static final String DERIVED_PUBLIC_URL = "http://<BIND>:<PORT>";

    public static final List<Setting> ALL = List.of(
            new Setting("PORT", "8080", "HTTP port (0 picks a free one)"),
            new Setting("BIND", "127.0.0.1", "address to listen on"),
            new Setting("DBURL", "jdbc:sqlite:data/chatd.db", "jdbc:sqlite:<file> or jdbc:postgresql://host:port/db?user=..&password=.."),
            new Setting("SERVER_NAME", "localhost", "this server's name, unique in the federation"),
            new Setting("PUBLIC_URL", DERIVED_PUBLIC_URL, "how peers reach this server"),
            new Setting("MOTD", "Welcome to chatd.", "message of the day"),
            new Setting("MAX_HISTORY", "10000", "messages kept per channel or DM"),
            new Setting("MAX_MESSAGE_SIZE", "16384", "largest request body in bytes; larger is 413"),
            new Setting("QUEUE_MAX", "10000", "undelivered entries kept per client; overflow is reported as dropped"),
            new Setting("SESSION_IDLE_TIMEOUT", "24h", "a client with no request for this long ends (90s, 30m, 24h, 7d)"),
            new Setting("HASHCASH_BITS", "0", "proof-of-work bits required for new sessions (0 = off)"),
            new Setting("LOGIN_RATE_LIMIT", "10", "login/register attempts per minute per source address"),
            new Setting("ADMIN_TOKEN", "", "bearer token of the admin endpoints and /admin (unset = admin off)"),
            new Setting("FEDERATION_POLICY", "allowlist", "disabled, allowlist or open"),
            new Setting("FEDERATION_KEY", "", "shared key for links without their own"),
            new Setting("FEDERATION_PEERS", "", "name=url[,name=url...] dialled at start-up"),
            new Setting("IRC_PORT", "", "TCP port of the IRC gateway (unset = off)"),
            new Setting("IRC_TLS_PORT", "", "TLS port of the IRC gateway (unset = off; needs IRC_TLS_KEYSTORE)"),
            new Setting("IRC_TLS_KEYSTORE", "", "PKCS#12 file with the IRC gateway's certificate and key"),
            new Setting("IRC_TLS_PASSWORD", "", "password of IRC_TLS_KEYSTORE"),
            new Setting("IRC_CLASS_ANONYMOUS", "20/4/10", "IRC connections without an account: lines burst/lines per second/connections per address"),
            new Setting("IRC_CLASS_ACCOUNT", "20/4/10", "IRC connections logged in with PASS or SASL: burst/per second/per address"),
            new Setting("IRC_CLASS_EXEMPT", "none/none/1000", "IRC connections granted by IRC_EXEMPT: burst/per second/per address (none = no limit)"),
            new Setting("IRC_EXEMPT", "", "accounts and addresses or networks (name, 10.0.0.5, 10.0.0.0/8, ::1) in the exempt class; exempt addresses also skip LOGIN_RATE_LIMIT"),
            new Setting("METRICS_USERNAME", "", "basic-auth user for /metrics (unset = open)"),
            new Setting("METRICS_PASSWORD", "", "basic-auth password for /metrics"),
            new Setting("OPERATORS", "", "server operators for OPER: name:password[,name:password...] (unset = none)"),
            new Setting("FEDERATION_OUTBOX_MAX", "100000", "events kept per unreachable peer; past it the oldest are dropped (counted)"),
            new Setting("FEDERATION_OUTBOX_MAX_AGE", "48h", "events older than this are dropped from a peer's outbox (counted); under the 3-day dedup window"));

    private Settings() {}

    /**
     * The values given, by variable name: from the environment, then the flags on top. Unset settings
     * are absent (their defaults are applied by {@link ServerConfig#from}). Returns null when the
     * arguments ask for --help.
     */
    public static Map<String, String> read(Map<String, String> env, String[] args) {
        CommandLine command = command();
        CommandLine.ParseResult parsed;
        try {
            parsed = command.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new ServerConfig.ConfigException(e.getMessage() + " (see --help)");
        }
        if (parsed.isUsageHelpRequested()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting s : ALL) {
            String fromEnv = env.get(s.env());
            if (fromEnv != null && !fromEnv.isEmpty()) {
                values.put(s.env(), fromEnv);
            }
            if (parsed.hasMatchedOption(s.flag())) {
                values.put(s.env(), parsed.matchedOptionValue(s.flag(), ""));
            }
        }
        return values;
    }

    /** The {@code --help} text: every setting with its variable and default. */
    public static String help() {
        StringWriter out = new StringWriter();
        command().usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }

    private static CommandLine command() {
        CommandSpec spec = CommandSpec.create().name("chatd");
        spec.usageMessage()
                .customSynopsis("chatd [--option=value]...")
                .description("A chat server with IRC semantics over HTTP+JSON.",
                        "Every option can also be set by its environment variable, named in capitals",
                        "(--port -> PORT); the option wins over the variable.", "")
                .sortOptions(false)
                .width(110);
        for (Setting s : ALL) {
            spec.addOption(OptionSpec.builder(s.flag())
                    .paramLabel("<" + s.env() + ">")
                    .type(String.class)
                    .description(s.help() + " (default: " + (s.defaultValue().isEmpty() ? "unset" : s.defaultValue()) + ")")
                    .build());
        }
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("print this help and exit").build());
        return new CommandLine(spec);
    }
}
