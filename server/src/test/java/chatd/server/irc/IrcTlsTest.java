package chatd.server.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.TestServer;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IRC over TLS with a configured PKCS#12 certificate (IRC_TLS_PORT, IRC_TLS_KEYSTORE, IRC_TLS_PASSWORD). */
class IrcTlsTest {
    @TempDir
    Path dir;

    @Test
    void registers_over_tls() throws Exception {
        Path keystore = dir.resolve("irc.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "irc", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (TestServer server = TestServer.start(Map.of("IRC_TLS_PORT", "0", "IRC_TLS_KEYSTORE", keystore.toString(),
                "IRC_TLS_PASSWORD", "changeit"))) {
            int port = server.server().irc().tlsPort();
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port);
            try (IrcTestClient c = IrcTestClient.over(socket)) {
                c.send("NICK secure").send("USER secure 0 * :s");
                assertThat(c.await(" 001 ")).isEqualTo(":test 001 secure :Welcome to the chatd network, secure");
            }
        }
    }
}
