package chatd.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.ChildServer;
import chatd.server.testing.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that cannot start says why in one line naming the setting and its value, exits with 2, and
 * prints no stack trace unless CHATD_DEBUG=1 asks for one (issue 20).
 */
class StartupFailureTest {
    @TempDir
    Path dir;

    @Test
    void a_bind_address_that_does_not_resolve() throws Exception {
        Exit exit = run(Map.of("BIND", "no-such-host.invalid"));
        exit.assertOneLine("chatd: cannot start: BIND=no-such-host.invalid: not an address, nor a host name this machine can resolve");
    }

    @Test
    void a_bind_address_of_another_machine() throws Exception {
        Exit exit = run(Map.of("BIND", "192.0.2.7"));
        exit.assertOneLine("chatd: cannot start: BIND=192.0.2.7: cannot listen on this address (");
    }

    @Test
    void an_http_port_in_use() throws Exception {
        try (ServerSocket taken = occupied()) {
            Exit exit = run(Map.of("PORT", Integer.toString(taken.getLocalPort())));
            exit.assertOneLine("chatd: cannot start: PORT=" + taken.getLocalPort() + ": already in use on 127.0.0.1");
        }
    }

    @Test
    void an_irc_port_in_use() throws Exception {
        try (ServerSocket taken = occupied()) {
            Exit exit = run(Map.of("IRC_PORT", Integer.toString(taken.getLocalPort())));
            exit.assertOneLine("chatd: cannot start: IRC_PORT=" + taken.getLocalPort() + ": cannot listen on 127.0.0.1 (");
        }
    }

    @Test
    void a_keystore_that_is_not_one() throws Exception {
        Path keystore = Files.writeString(dir.resolve("not-a-keystore.p12"), "hello");
        Exit exit = run(Map.of("IRC_TLS_PORT", "0", "IRC_TLS_KEYSTORE", keystore.toString()));
        exit.assertOneLine("chatd: cannot start: IRC_TLS_KEYSTORE=" + keystore + ": not a PKCS#12 keystore that IRC_TLS_PASSWORD opens");
    }

    @Test
    void a_database_that_cannot_be_reached_and_its_password_is_not_printed() throws Exception {
        int closed;
        try (ServerSocket s = occupied()) {
            closed = s.getLocalPort();
        }
        Exit exit = run(Map.of("DBURL", "jdbc:postgresql://127.0.0.1:" + closed + "/chatd?user=chatd&password=hunter2"));
        exit.assertOneLine("chatd: cannot start: DBURL=jdbc:postgresql://127.0.0.1:" + closed
                + "/chatd?user=chatd&password=***: cannot open the database (");
        assertThat(exit.output()).doesNotContain("hunter2");
    }

    @Test
    void a_bad_connection_class_or_exempt_grant_names_the_setting() throws Exception {
        run(Map.of("IRC_PORT", "0", "IRC_CLASS_ACCOUNT", "20/4/0")).assertOneLine("chatd: configuration error: IRC_CLASS_ACCOUNT: "
                + "'20/4/0' must be burst/lines-per-second/connections-per-address, e.g. 20/4/10");
        run(Map.of("IRC_PORT", "0", "IRC_EXEMPT", "bridge, 10.0.0.0/40"))
                .assertOneLine("chatd: configuration error: IRC_EXEMPT: '10.0.0.0/40' has a prefix longer than its address");
    }

    @Test
    void a_bad_value_names_the_setting() throws Exception {
        run(Map.of("QUEUE_MAX", "lots")).assertOneLine("chatd: configuration error: QUEUE_MAX: 'lots' is not a whole number");
    }

    @Test
    void chatd_debug_adds_the_stack_trace() throws Exception {
        Exit exit = run(Map.of("BIND", "no-such-host.invalid", "CHATD_DEBUG", "1"));
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("BIND=no-such-host.invalid").contains("\tat ");
    }

    private static ServerSocket occupied() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }

    private record Exit(int code, String output) {
        void assertOneLine(String start) {
            assertThat(code).as(output).isEqualTo(2);
            // Before the failure the server may have logged what it did start (an INFO line); the failure
            // itself is one line, and nothing of a stack trace is printed.
            List<String> lines = output.lines().filter(l -> l.startsWith("chatd: ")).toList();
            assertThat(lines).as(output).hasSize(1);
            assertThat(lines.getFirst()).startsWith(start);
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception:").doesNotContain(" ERROR ");
        }
    }

    /** Runs chatd's main in its own process with these settings on top of a free port and a fresh store. */
    private Exit run(Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(ChildServer.freePort()));
        env.put("DBURL", TestDatabases.fresh());
        env.putAll(settings);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "chatd.server.Main");
        pb.environment().remove("CHATD_DEBUG");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Path log = dir.resolve("out-" + System.nanoTime() + ".log");
        pb.redirectOutput(log.toFile());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chatd did not exit: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Exit(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
