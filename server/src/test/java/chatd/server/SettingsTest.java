package chatd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The settings table, its flags and defaults, README's copy of it, and the checks of each section. */
class SettingsTest {
    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

    @Test
    void readme_lists_every_setting_with_the_same_default() throws IOException {
        Map<String, String> readme = readmeSettings();
        Map<String, String> code = new LinkedHashMap<>();
        Settings.ALL.forEach(s -> code.put(s.env(), s.defaultValue()));
        assertThat(readme.keySet()).as("settings in README.md's table vs Settings.ALL").containsExactlyInAnyOrderElementsOf(code.keySet());
        readme.forEach((env, shown) -> {
            if (shown != null) {
                assertThat(shown).as("README default of " + env).isEqualTo(code.get(env));
            }
        });
    }

    @Test
    void help_lists_every_setting_with_its_flag_and_default() {
        String help = Settings.help().replaceAll("\\s+", " ");
        for (Settings.Setting s : Settings.ALL) {
            assertThat(help).contains(s.flag() + "=<" + s.env() + ">")
                    .contains("(default: " + (s.defaultValue().isEmpty() ? "unset" : s.defaultValue()) + ")");
        }
    }

    @Test
    void a_variable_sets_a_value_and_its_flag_wins() {
        assertThat(ServerConfig.load(Map.of("PORT", "9000"), new String[0]).http().port()).isEqualTo(9000);
        assertThat(ServerConfig.load(Map.of("PORT", "9000"), new String[] {"--port", "9001"}).http().port()).isEqualTo(9001);
        assertThat(ServerConfig.load(Map.of(), new String[] {"--session-idle-timeout=30m"}).limits().sessionIdleTimeout())
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void defaults_fill_every_section() {
        ServerConfig config = ServerConfig.load(Map.of(), new String[0]);
        assertThat(config.http()).isEqualTo(new ServerConfig.Http("127.0.0.1", 8080, "http://127.0.0.1:8080", 16384));
        assertThat(config.store().dbUrl()).isEqualTo("jdbc:sqlite:data/chatd.db");
        assertThat(config.store().sqliteFile()).isEqualTo(Path.of("data/chatd.db"));
        assertThat(config.limits()).isEqualTo(new ServerConfig.Limits(10000, Duration.ofHours(24), 10, 0));
        assertThat(config.federation().enabled()).isTrue();
        assertThat(config.federation().peers()).isEmpty();
        assertThat(config.irc().enabled()).isFalse();
        assertThat(config.security().adminToken()).isEmpty();
    }

    @Test
    void a_bad_value_is_one_line_naming_the_setting() {
        expectError(Map.of("QUEUE_MAX", "0"), "QUEUE_MAX must be positive");
        expectError(Map.of("PORT", "70000"), "PORT must be 0-65535");
        expectError(Map.of("SESSION_IDLE_TIMEOUT", "soon"), "SESSION_IDLE_TIMEOUT: 'soon' is not a duration like 90s, 30m, 24h or 7d");
        expectError(Map.of("FEDERATION_POLICY", "maybe"), "FEDERATION_POLICY must be disabled, allowlist or open");
        expectError(Map.of("FEDERATION_PEERS", "beta"), "FEDERATION_PEERS: expected name=url entries, got [beta]");
        expectError(Map.of("IRC_TLS_PORT", "6697"), "IRC_TLS_KEYSTORE must name a readable PKCS#12 file when IRC_TLS_PORT is set");
        expectError(Map.of("DBURL", "mysql://x"), "DBURL must start with jdbc:sqlite: or jdbc:postgresql:");
        String classForm = "must be burst/lines-per-second/connections-per-address, e.g. 20/4/10 "
                + "(whole numbers 1-1000000 and a rate 0.001-1000000, each or none; burst and rate both none or neither)";
        expectError(Map.of("IRC_CLASS_ACCOUNT", "20/fast/10"), "IRC_CLASS_ACCOUNT: '20/fast/10' " + classForm);
        expectError(Map.of("IRC_CLASS_ANONYMOUS", "0/4/10"), "IRC_CLASS_ANONYMOUS: '0/4/10' " + classForm);
        expectError(Map.of("IRC_CLASS_EXEMPT", "none/100/10"), "IRC_CLASS_EXEMPT: 'none/100/10' " + classForm);
        expectError(Map.of("IRC_CLASS_EXEMPT", "20/4"), "IRC_CLASS_EXEMPT: '20/4' " + classForm);
        expectError(Map.of("IRC_CLASS_EXEMPT", "20/1e12/10"), "IRC_CLASS_EXEMPT: '20/1e12/10' " + classForm);
        expectError(Map.of("IRC_EXEMPT", "relaybot, 10.0.0.0/33"), "IRC_EXEMPT: '10.0.0.0/33' has a prefix longer than its address");
        expectError(Map.of("IRC_EXEMPT", "300.1.1.1"), "IRC_EXEMPT: '300.1.1.1' is not an IP address or network");
        expectError(Map.of("IRC_EXEMPT", "bot!"), "IRC_EXEMPT: 'bot!' is neither an account name nor an address or network");
        assertThatThrownBy(() -> ServerConfig.load(Map.of(), new String[] {"--prot", "1"}))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("--prot").hasMessageEndingWith("(see --help)");
    }

    private static void expectError(Map<String, String> env, String message) {
        assertThatThrownBy(() -> ServerConfig.load(env, new String[0]))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessage(message);
    }

    /**
     * README's "Configuration" table: variable → default shown (null for a row that lists several
     * variables; "(none)", "(off)" and "(open)" mean unset).
     */
    private static Map<String, String> readmeSettings() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|");
            List<String> names = VARIABLE.matcher(cells[1]).results().map(m -> m.group(1)).toList();
            String shown = cells[2].trim().replace("`", "");
            String value = shown.matches("\\((none|off|open)\\)") ? "" : shown;
            names.forEach(name -> out.put(name, names.size() == 1 ? value : null));
        }
        return out;
    }
}
