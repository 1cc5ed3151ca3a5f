package chatd.bench;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One sending IRC client's loop until the end of the run. Open loop: one message every {@code interval},
 * stamped with when it was due, so a write the gateway holds back (flood control makes a client wait, it
 * does not refuse it) shows as latency rather than as a slower schedule. Closed loop: a message goes
 * whenever the window has room, stamped with when it went; the receiver side frees the window.
 */
final class IrcSender implements Runnable {
    /** When the run's phases begin and end ({@link System#nanoTime()}). */
    record Window(long start, long measureFrom, long end) {}

    private final IrcClient client;
    private final int number;
    private final String channel;
    private final Semaphore inFlight;
    private final long interval;
    private final long firstDue;
    private final Window window;
    private final LongAdder sentInWindow;
    private final Errors errors;
    private volatile int sent;

    /**
     * @param inFlight      the closed loop's window, or null for the open loop
     * @param interval      open loop: nanoseconds between two messages
     * @param firstDue      when the first message is due (open loop) or may go (closed loop)
     * @param sentInWindow  counts messages sent in the measured window
     */
    IrcSender(IrcClient client, int number, String channel, Semaphore inFlight, long interval, long firstDue, Window window,
            LongAdder sentInWindow, Errors errors) {
        this.client = client;
        this.number = number;
        this.channel = channel;
        this.inFlight = inFlight;
        this.interval = inFlight == null ? interval : 0;
        this.firstDue = firstDue;
        this.window = window;
        this.sentInWindow = sentInWindow;
        this.errors = errors;
    }

    /** Messages written so far: numbers 0 to sent() - 1. */
    int sent() {
        return sent;
    }

    IrcClient client() {
        return client;
    }

    @Override
    public void run() {
        long due = firstDue;
        try {
            for (int seq = 0; due < window.end(); seq++, due += interval) {
                if (inFlight != null) {
                    long left = window.end() - System.nanoTime();
                    if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    due = System.nanoTime();
                } else {
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() >= window.end()) {
                        return; // held back past the end: what is still due is not sent
                    }
                }
                client.privmsg(channel, new Stamp(number, seq, due).text());
                sent = seq + 1;
                if (due >= window.measureFrom()) {
                    sentInWindow.increment();
                }
            }
        } catch (IOException e) {
            if (!client.closing()) { // else the scenario closed it, and said why
                errors.add("PRIVMSG", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
