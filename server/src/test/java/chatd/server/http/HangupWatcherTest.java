package chatd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.Wait;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hang-up watcher on real loopback sockets: a client that closes its socket while its poll waits is
 * noticed, and a poll answered first leaves nothing of itself behind (its request's objects would
 * otherwise outlive young collections by the tens of thousands under a fan-out).
 */
class HangupWatcherTest {
    @Test
    void a_client_that_closes_its_socket_while_its_poll_waits_is_noticed() throws Exception {
        try (HangupWatcher watcher = new HangupWatcher(); ServerSocketChannel listener = listen();
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                SocketChannel accepted = listener.accept()) {
            accepted.configureBlocking(false); // as Jetty's are
            CountDownLatch hungUp = new CountDownLatch(1);
            watcher.watch(accepted, hungUp::countDown);
            client.close();
            assertThat(hungUp.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void an_answered_poll_leaves_its_hangup_action_to_the_collector_before_its_grace_period_ends() throws Exception {
        try (HangupWatcher watcher = new HangupWatcher(); ServerSocketChannel listener = listen();
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                SocketChannel accepted = listener.accept()) {
            Runnable onHangup = new Runnable() {
                @Override
                public void run() {
                    throw new AssertionError("the poll was answered, its client did not hang up");
                }
            };
            accepted.configureBlocking(false);
            WeakReference<Runnable> held = new WeakReference<>(onHangup);
            Runnable answered = watcher.watch(accepted, onHangup);
            onHangup = null;
            answered.run();
            Wait.until("the answered poll's hang-up action to be collected", Duration.ofNanos(HangupWatcher.GRACE_NANOS / 2), () -> {
                System.gc();
                return held.get() == null;
            });
            client.close();
        }
    }

    private static ServerSocketChannel listen() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }
}
