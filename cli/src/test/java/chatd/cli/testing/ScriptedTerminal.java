package chatd.cli.testing;

import chatd.cli.TerminalClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.terminal.Terminal;

/**
 * A JLine dumb terminal on in-memory streams: tests {@link #type} lines into it and wait (with a
 * deadline, no sleeping) until its output {@link #awaitOutput contains} some text.
 */
public final class ScriptedTerminal implements AutoCloseable {
    private static final int EOF = -1;

    private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Terminal terminal;

    public ScriptedTerminal() throws IOException {
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    int key = keys.take();
                    if (key == EOF) {
                        keys.add(EOF); // stay at end of input for later reads
                    }
                    return key;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        };
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                lock.lock();
                try {
                    output.write(b, off, len);
                    written.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
        terminal = TerminalClient.dumbTerminal(in, out);
    }

    public Terminal terminal() {
        return terminal;
    }

    /** Types {@code line} and Enter. */
    public void type(String line) {
        for (byte b : (line + "\n").getBytes(StandardCharsets.UTF_8)) {
            keys.add(b & 0xff);
        }
    }

    /** Presses keys without Enter, e.g. {@code "\u001b2"} for Alt+2. */
    public void press(String keys) {
        for (byte b : keys.getBytes(StandardCharsets.UTF_8)) {
            this.keys.add(b & 0xff);
        }
    }

    /** Ends the input (like Ctrl-D at the start of a line, or the end of a script). */
    public void endOfInput() {
        keys.add(EOF);
    }

    public String output() {
        lock.lock();
        try {
            return output.toString(StandardCharsets.UTF_8);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the output contains {@code text}; fails with the whole output after {@code timeout}. */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        awaitCount(text, 1, timeout);
    }

    /** Waits until the output contains {@code text} at least {@code times} times. */
    public void awaitCount(String text, int times, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (count(output.toString(StandardCharsets.UTF_8), text) < times) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("terminal output never showed " + times + "× \"" + text + "\" within "
                            + timeout + "; output so far:\n" + output.toString(StandardCharsets.UTF_8));
                }
                written.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        } finally {
            lock.unlock();
        }
    }

    public static int count(String haystack, String needle) {
        int count = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        endOfInput();
        terminal.close();
    }
}
