package chatd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bench's IRC client against a scripted server on a real socket. */
class IrcClientTest {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final Errors errors = new Errors();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> joins = new CopyOnWriteArrayList<>();
    private final IrcClient.Listener listener = new IrcClient.Listener() {
        @Override
        public void message(String text, long nowNanos) {
            messages.add(text);
        }

        @Override
        public void joined(String nick) {
            joins.add(nick);
        }
    };

    IrcClientTest() throws IOException {}

    /** Each step on its own thread: the scripted server and the client block on each other. */
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    private <T> Future<T> async(Callable<T> step) {
        return threads.submit(step);
    }

    /** One accepted connection, read and written line by line. */
    private record Peer(Socket socket, BufferedReader in, OutputStream out) {
        String read() throws IOException {
            return in.readLine();
        }

        void send(String... lines) throws IOException {
            out.write((String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private Future<Peer> accept() {
        return async(() -> {
            Socket s = server.accept();
            s.setSoTimeout(10_000);
            return new Peer(s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)), s.getOutputStream());
        });
    }

    private Future<IrcClient> connect() {
        return async(() -> IrcClient.connect(server.getLocalPort(), "r1", listener, errors, 10_000));
    }

    @Test
    void registersAnswersPingJoinsAndHandsOverChannelTraffic() throws Exception {
        Future<Peer> accepted = accept();
        Future<IrcClient> connecting = connect();
        Peer peer = accepted.get(10, TimeUnit.SECONDS);
        assertThat(peer.socket().getInetAddress().getHostAddress()).startsWith("127.1.");
        assertThat(List.of(peer.read(), peer.read())).containsExactly("NICK r1", "USER r1 0 * :chatd bench");
        peer.send("PING :alpha");
        assertThat(peer.read()).isEqualTo("PONG :alpha");
        assertThat(connecting.isDone()).isFalse(); // not registered before 001
        peer.send(":alpha 001 r1 :Welcome", ":alpha 422 r1 :MOTD File is missing");
        IrcClient client = connecting.get(10, TimeUnit.SECONDS);

        Future<Object> joining = async(() -> {
            client.join("#bench", 10_000);
            return null;
        });
        assertThat(peer.read()).isEqualTo("JOIN #bench");
        peer.send(":r1!r1@alpha JOIN #bench");
        joining.get(10, TimeUnit.SECONDS);
        peer.send("@time=x :s0/beta!s0@beta JOIN #bench", ":s0/beta!s0@beta PRIVMSG #bench :b:0:1:2",
                ":alpha 404 r1 #bench :Cannot send to channel", ":alpha NOTICE r1 :queue full", "PING :again");
        assertThat(peer.read()).isEqualTo("PONG :again"); // every line before it has been handled
        assertThat(messages).containsExactly("b:0:1:2");
        assertThat(joins).containsExactly("r1", "s0");
        assertThat(errors.summary()).contains("1 × IRC 404").contains("1 × IRC server NOTICE (r1: queue full)").doesNotContain("422");
        assertThat(errors.count()).isEqualTo(2);

        client.privmsg("#bench", "b:1:0:5");
        assertThat(peer.read()).isEqualTo("PRIVMSG #bench :b:1:0:5");
        Future<Object> quitting = async(() -> {
            client.quit(10_000);
            return null;
        });
        assertThat(peer.read()).isEqualTo("QUIT :bench done");
        peer.send("ERROR :Closing Link: 127.1.0.1 (Client Quit)");
        peer.socket().close();
        quitting.get(10, TimeUnit.SECONDS);
        assertThat(errors.count()).isEqualTo(2); // the ERROR after QUIT is expected
    }

    @Test
    void aRefusedRegistrationIsAnErrorOfConnect() throws Exception {
        Future<Peer> accepted = accept();
        Future<IrcClient> connecting = connect();
        Peer peer = accepted.get(10, TimeUnit.SECONDS);
        peer.read();
        peer.read();
        peer.send(":alpha 433 * r1 :Nickname is already in use");
        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class).cause().hasMessage("r1: registration refused: :alpha 433 * r1 :Nickname is already in use");
    }

    @Test
    void sourceAddressesAreDistinctLoopbackAddresses() {
        assertThat(IrcClient.sourceAddress(0)).isEqualTo("127.1.0.1");
        assertThat(IrcClient.sourceAddress(249)).isEqualTo("127.1.0.250");
        assertThat(IrcClient.sourceAddress(250)).isEqualTo("127.1.1.1");
        assertThat(IrcClient.sourceAddress(1061)).isEqualTo("127.1.4.62");
    }
}
