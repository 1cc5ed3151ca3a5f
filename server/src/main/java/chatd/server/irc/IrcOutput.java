package chatd.server.irc;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The socket's write side, shared by the reader thread (registration, CAP, PONG, errors) and the delivery
 * thread. A {@code ReentrantLock}, not {@code synchronized}: both are virtual threads and a blocking
 * write inside {@code synchronized} would pin the carrier on Java 21. A failed write closes nothing
 * itself; it reports false and the connection tears down.
 */
final class IrcOutput {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();

    IrcOutput(OutputStream out) {
        this.out = new BufferedOutputStream(out, 16 * 1024);
    }

    boolean send(IrcLine line) {
        return send(List.of(line));
    }

    /** Writes the lines back to back with one flush; false when the socket is gone. */
    boolean send(List<IrcLine> lines) {
        lock.lock();
        try {
            for (IrcLine line : lines) {
                out.write(line.wireBytes());
            }
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
