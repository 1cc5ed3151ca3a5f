package chatd.server.irc;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection's received lines, read ahead of the command loop on their own virtual thread (the
 * "recvq"). Reading ahead is what lets the gateway notice at once that a client flooding under fakelag
 * has closed its socket: its unprocessed backlog is then dropped, as IRC servers do, instead of being
 * played out line by line for minutes by a session nobody is behind. Bounded: past {@link #CAPACITY}
 * lines the reader stops reading and TCP pushes back on the client.
 */
final class ReceiveQueue {
    static final int CAPACITY = 256;
    private static final LineReader.Line END = new LineReader.Line(null, false);

    private final BlockingQueue<LineReader.Line> lines = new LinkedBlockingQueue<>(CAPACITY);
    private final CountDownLatch peerClosed = new CountDownLatch(1);
    private volatile Thread reader;

    private ReceiveQueue() {}

    /** Starts reading {@code reader} until end of stream or an error (the socket closed). */
    static ReceiveQueue start(LineReader reader, String threadName) {
        ReceiveQueue q = new ReceiveQueue();
        q.reader = Thread.ofVirtual().name(threadName).start(() -> q.readAll(reader));
        return q;
    }

    /** The connection is over: a reader waiting for room in a full queue stops too. */
    void close() {
        reader.interrupt();
    }

    private void readAll(LineReader reader) {
        try {
            for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
                lines.put(line);
            }
        } catch (IOException | InterruptedException e) {
            // the socket is gone (closed by either side): same as end of stream
        } finally {
            peerClosed.countDown();
            lines.offer(END); // wakes a waiting poll; when the queue is full, the next poll sees the latch
        }
    }

    /**
     * The next line, waiting up to {@code timeoutMillis}; null at end of stream once everything before it
     * was taken. Throws SocketTimeoutException on timeout, as a socket read would.
     */
    LineReader.Line next(long timeoutMillis) throws SocketTimeoutException, InterruptedException {
        LineReader.Line line = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (line == null) {
            if (peerClosed.getCount() == 0 && lines.isEmpty()) {
                return null;
            }
            throw new SocketTimeoutException("no line within " + timeoutMillis + " ms");
        }
        return line == END ? null : line;
    }

    /** Waits up to {@code nanos} for the peer to close; answers whether it has. */
    boolean awaitPeerClosed(long nanos) throws InterruptedException {
        return peerClosed.await(nanos, TimeUnit.NANOSECONDS);
    }
}
