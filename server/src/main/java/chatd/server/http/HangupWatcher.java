package chatd.server.http;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices long-poll clients that hung up. Jetty reads a connection only between requests, so a client
 * that closes its socket while its poll waits is otherwise seen only when the answer is written, up to
 * a minute later: meanwhile its waiter and timer entry stay. Here each waiting poll's socket is also
 * registered, for reading, with one selector of our own (a channel may belong to several); readable
 * with nothing to read means the peer closed it. Data to read (a pipelined request) is left to Jetty.
 *
 * <p>A poll is watched only once it has waited {@link #GRACE_NANOS}: most polls are answered within
 * milliseconds (1,000 members at 20 messages a second make 20,000 polls a second), and registering each
 * with a selector cost a wake-up and two system calls per poll (fan-out CPU per delivery +33 %). A poll
 * answered within the grace period only drops its entry from the queue.
 */
final class HangupWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HangupWatcher.class);

    /** How long a poll waits before its socket is watched; an abandoned poll is withdrawn about this much later. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often the watcher looks for polls past their grace period. */
    private static final long TICK_MILLIS = 100;

    private final Selector selector;
    /** Polls not yet watched, in the order they began waiting (so also in the order they come due). */
    private final Queue<Watch> pending = new ConcurrentLinkedQueue<>();
    private final Thread thread;

    HangupWatcher() throws IOException {
        selector = Selector.open();
        thread = Thread.ofPlatform().name("chatd-hangups").daemon(true).start(this::run);
    }

    /**
     * One waiting poll's socket. Cancelling drops what it refers to: a poll answered within its grace
     * period stays in the queue until the watcher passes it, and must not keep its answered request's
     * objects (a few KiB) alive meanwhile. At 20,000 polls a second, a second of those outlived every
     * young collection and kept G1 marking (docs/BENCHMARKS.md, HTTP fan-out).
     */
    private static final class Watch {
        private volatile SocketChannel channel;
        private volatile Runnable onHangup;
        private final long due = System.nanoTime() + GRACE_NANOS;
        private volatile SelectionKey key;
        private volatile boolean cancelled;

        private Watch(SocketChannel channel, Runnable onHangup) {
            this.channel = channel;
            this.onHangup = onHangup;
        }

        void cancel() {
            cancelled = true;
            channel = null;
            onHangup = null;
            SelectionKey k = key;
            if (k != null) {
                k.cancel();
            }
        }
    }

    /**
     * Runs {@code onHangup} on the watcher's thread if the request's client closes its socket before the
     * returned action is run (when the poll is answered).
     */
    Runnable watch(Request request, Runnable onHangup) {
        if (!(request.getConnectionMetaData().getConnection().getEndPoint() instanceof SocketChannelEndPoint endPoint)) {
            return () -> { };
        }
        return watch(endPoint.getChannel(), onHangup);
    }

    /** As {@link #watch(Request, Runnable)}, for the poll's socket. */
    Runnable watch(SocketChannel channel, Runnable onHangup) {
        Watch w = new Watch(channel, onHangup);
        pending.add(w);
        return w::cancel;
    }

    private void run() {
        try {
            while (selector.isOpen()) {
                selector.select(TICK_MILLIS);
                long now = System.nanoTime();
                // Answered polls leave the head at once, not when due: the queue stays about a tick long.
                for (Watch w; (w = pending.peek()) != null && (w.cancelled || now - w.due >= 0); ) {
                    pending.poll();
                    register(w);
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    check(k);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.debug("hang-up watcher stopped: {}", e.toString());
        }
    }

    private void register(Watch w) {
        SocketChannel channel = w.channel;
        if (w.cancelled || channel == null || !channel.isOpen()) {
            return;
        }
        try {
            w.key = channel.register(selector, SelectionKey.OP_READ, w);
            if (w.cancelled) {
                w.key.cancel();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot watch a poll's socket: {}", e.toString());
        }
    }

    private static void check(SelectionKey k) {
        Watch w = (Watch) k.attachment();
        k.cancel();
        SocketChannel channel = w.channel;
        Runnable onHangup = w.onHangup;
        if (w.cancelled || channel == null || onHangup == null) {
            return;
        }
        boolean hungUp;
        try {
            hungUp = !channel.isOpen() || channel.socket().getInputStream().available() == 0;
        } catch (IOException e) {
            hungUp = true;
        }
        if (hungUp) {
            onHangup.run();
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the hang-up watcher: {}", e.toString());
        }
        thread.interrupt();
    }
}
