package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.protocol.Ed25519;
import chatd.server.testing.Wait;
import io.javalin.Javalin;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer HTTP client against real servers: a raw socket server that answers exactly as scripted (framing,
 * closed connections, silence), and Jetty itself (Javalin), which frames answers by Content-Length or chunks.
 */
class FederationHttpTest {
    private static final byte[] BODY = "{\"txn\":\"t1\",\"events\":[]}".getBytes(StandardCharsets.UTF_8);
    private final Signer signer = new Signer(Ed25519.generate(new SecureRandom()));
    private final FederationHttp http = new FederationHttp("alpha", signer, Clock.systemUTC(), null, Duration.ofMillis(800));
    private RawServer server;

    @AfterEach
    void close() throws IOException {
        http.close();
        if (server != null) {
            server.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static RawServer.Reply fixed(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return new RawServer.Reply(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n" + json), false);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void content_length_answers_come_back_on_one_kept_alive_connection_and_requests_are_signed() throws IOException {
        server = new RawServer(r -> fixed("{\"n\":" + r.index() + ",\"rejected\":[]}"));
        for (int i = 0; i < 3; i++) {
            FederationHttp.Answer a = http.post(url("/api/v1/federation/relay"), BODY, "/api/v1/federation/relay");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("{\"n\":" + i + ",\"rejected\":[]}");
        }
        assertThat(server.connections.get()).as("one keep-alive connection").isEqualTo(1);
        RawServer.Request first = server.requests.getFirst();
        assertThat(first.line()).isEqualTo("POST /api/v1/federation/relay HTTP/1.1");
        assertThat(first.body()).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
        assertThat(first.headers()).containsEntry("host", "127.0.0.1:" + server.port())
                .containsEntry("x-chatd-server", "alpha");
        long ts = Long.parseLong(first.headers().get("x-chatd-timestamp"));
        assertThat(Signer.verifyRequest(Ed25519.decodeKey(signer.publicKey()), "POST", "/api/v1/federation/relay", ts, BODY,
                first.headers().get("x-chatd-signature"))).as("signed as Signer says").isTrue();
    }

    @Test
    void chunked_answers_are_read_whole_and_the_connection_is_reused() throws IOException {
        server = new RawServer(r -> new RawServer.Reply(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\n{\"n\":\r\n3\r\n" + r.index() + "0}\r\n0\r\nX-Trailer: t\r\n\r\n"), false));
        assertThat(http.post(url("/x"), BODY, null).body()).isEqualTo("{\"n\":00}");
        assertThat(http.post(url("/x"), BODY, null).body()).isEqualTo("{\"n\":10}");
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests.getFirst().headers()).doesNotContainKey("x-chatd-signature");
    }

    @Test
    void a_connection_the_peer_closed_while_idle_is_replaced_and_the_request_sent_once() throws IOException {
        server = new RawServer(r -> new RawServer.Reply(fixed("{}").bytes(), true));
        assertThat(http.post(url("/x"), BODY, null).status()).isEqualTo(200);
        Wait.until("the server closed the first connection", Duration.ofSeconds(5), () -> server.closed.get() == 1);
        assertThat(http.post(url("/x"), BODY, null).status()).as("sent again on a new connection").isEqualTo(200);
        assertThat(server.connections.get()).isEqualTo(2);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void an_answer_saying_connection_close_is_not_followed_by_another_request_on_its_connection() throws IOException {
        server = new RawServer(r -> new RawServer.Reply(ascii("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\n"
                + "Retry-After: 7\r\nContent-Length: 2\r\n\r\n{}"), false));
        FederationHttp.Answer a = http.post(url("/x"), BODY, null);
        assertThat(a.status()).isEqualTo(429);
        assertThat(a.retryAfterSeconds()).isEqualTo(7);
        http.post(url("/x"), BODY, null);
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void an_answer_that_does_not_come_in_time_is_a_transport_error() throws IOException {
        AtomicInteger silent = new AtomicInteger(1);
        server = new RawServer(r -> silent.getAndDecrement() > 0 ? null : fixed("{}"));
        long start = System.nanoTime();
        assertThat(http.post(url("/x"), BODY, null)).isNull();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).as("the request timeout, 800 ms").isBetween(700L, 5_000L);
        assertThat(http.post(url("/x"), BODY, null).status()).as("the next request on a new connection").isEqualTo(200);
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void an_answer_cut_short_is_a_transport_error_and_the_request_is_not_sent_again() throws IOException {
        server = new RawServer(r -> new RawServer.Reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"acc"), true));
        assertThat(http.post(url("/x"), BODY, null)).isNull();
        assertThat(http.postAsync(url("/x"), BODY, "/x").join()).as("the same, without waiting").isNull();
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void a_peer_that_is_not_listening_is_a_transport_error() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(http.post("http://127.0.0.1:" + port + "/x", BODY, null)).isNull();
        assertThat(http.post("ftp://127.0.0.1/x", BODY, null)).as("not an http URL").isNull();
    }

    @Test
    void jetty_answers_framed_by_length_or_by_chunks_are_read_whole() {
        String big = "{\"rejected\":[" + "\"x\",".repeat(30_000) + "\"y\"]}";
        Javalin app = Javalin.create(config -> {
            config.routes.post("/fixed", ctx -> ctx.contentType("application/json").result("{\"got\":" + ctx.body().length() + "}"));
            config.routes.post("/streamed", ctx -> ctx.contentType("application/json")
                    .result(new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
            config.routes.post("/refused", ctx -> ctx.status(429).header("Retry-After", "3").result(""));
        });
        app.start("127.0.0.1", 0);
        try {
            String base = "http://127.0.0.1:" + app.port();
            for (int i = 0; i < 3; i++) {
                FederationHttp.Answer fixed = http.post(base + "/fixed", BODY, "/fixed");
                assertThat(fixed.status()).isEqualTo(200);
                assertThat(fixed.body()).isEqualTo("{\"got\":" + BODY.length + "}");
                FederationHttp.Answer streamed = http.postAsync(base + "/streamed", BODY, "/streamed").join();
                assertThat(streamed.status()).isEqualTo(200);
                assertThat(streamed.body()).isEqualTo(big);
            }
            FederationHttp.Answer refused = http.post(base + "/refused", BODY, null);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.retryAfterSeconds()).isEqualTo(3);
        } finally {
            app.stop();
        }
    }

    @Test
    void https_peers_are_checked_against_the_trust_store_and_the_host_name(@TempDir Path dir) throws Exception {
        SSLContext peerTls = selfSigned(dir, "127.0.0.1");
        server = new RawServer(peerTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                r -> fixed("{\"n\":" + r.index() + "}"));
        String url = "https://127.0.0.1:" + server.port() + "/x";
        try (FederationHttp trusting = new FederationHttp("alpha", signer, Clock.systemUTC(), peerTls.getSocketFactory(),
                Duration.ofSeconds(5))) {
            assertThat(trusting.post(url, BODY, "/x").body()).isEqualTo("{\"n\":0}");
            assertThat(trusting.post(url, BODY, "/x").body()).isEqualTo("{\"n\":1}");
            assertThat(server.connections.get()).as("kept alive").isEqualTo(1);
            assertThat(trusting.post("https://localhost:" + server.port() + "/x", BODY, null))
                    .as("the certificate names 127.0.0.1, not localhost").isNull();
        }
        assertThat(http.post(url, BODY, null)).as("the JDK's default trust store does not know the certificate").isNull();
    }

    /** A TLS context whose key has a self-signed certificate for {@code ip}, and which trusts only that certificate. */
    private static SSLContext selfSigned(Path dir, String ip) throws Exception {
        Path store = dir.resolve("peer.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "peer", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=peer", "-ext", "san=ip:" + ip, "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * A minimal HTTP/1.1 server on a real socket: reads each request (Content-Length bodies), answers what
     * the script returns for it (null: nothing, ever), and closes the connection after it when told to.
     */
    static final class RawServer implements AutoCloseable {
        record Request(int index, String line, Map<String, String> headers, String body) {}

        record Reply(byte[] bytes, boolean close) {}

        private final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<Request> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final Function<Request, Reply> script;

        RawServer(Function<Request, Reply> script) throws IOException {
            this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
        }

        RawServer(ServerSocket socket, Function<Request, Reply> script) {
            this.socket = socket;
            this.script = script;
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    open.add(s);
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    String line = line(in);
                    if (line == null) {
                        return;
                    }
                    Map<String, String> headers = new TreeMap<>();
                    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                        int colon = h.indexOf(':');
                        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                    }
                    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                    Request request = new Request(requests.size(), line, headers, new String(body, StandardCharsets.UTF_8));
                    requests.add(request);
                    Reply reply = script.apply(request);
                    if (reply == null) {
                        continue;
                    }
                    out.write(reply.bytes());
                    out.flush();
                    if (reply.close()) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            } finally {
                closed.incrementAndGet();
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return null;
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
