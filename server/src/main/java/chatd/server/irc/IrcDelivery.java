package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.server.core.ChatCore;
import chatd.server.core.Client;
import chatd.server.core.Inbox;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery side of one registered connection: long-polls the client's queue with its cursor, exactly
 * as an HTTP client does, and writes each envelope as IRC lines. Polling with the last written position
 * acknowledges it, so what a dropped account connection did not get stays queued for its device.
 *
 * <p>On a resumed device the first read is split: the fresh welcome and channel burst go first (an IRC
 * program needs 001 and its JOINs before anything else), then the missed lines with their original
 * times, then whatever arrived meanwhile.
 */
final class IrcDelivery implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IrcDelivery.class);
    private static final int BATCH = 500;
    private static final Duration POLL = Duration.ofSeconds(25);

    private final ChatCore core;
    private final DecodedEntries decoded;
    private final IrcConnection connection;
    private final Client client;
    private final ChatCore.Attached attached;
    /** Held while entries are written, so a labeled command's replies can be taken out of the stream whole. */
    private final ReentrantLock writing = new ReentrantLock();
    private final ReentrantLock progressLock = new ReentrantLock();
    private final Condition progress = progressLock.newCondition();
    private volatile long written;

    IrcDelivery(ChatCore core, IrcConnection connection, ChatCore.Attached attached, DecodedEntries decoded) {
        this.core = core;
        this.decoded = decoded;
        this.connection = connection;
        this.client = attached.client();
        this.attached = attached;
        this.written = attached.resumeAfter();
    }

    /** The last position written to the socket: acknowledged when the connection ends. */
    long written() {
        return written;
    }

    /**
     * Waits until everything queued for this client so far is on the socket, so that a line the reader
     * writes itself (PONG, CAP, an error) follows the replies to the commands before it. Bounded: a
     * delivery that is stuck (a full socket) or gone does not hold the reader for ever.
     */
    void awaitCaughtUp(Duration max) throws InterruptedException {
        long target = client.session().inbox().lastVisibleTo(client);
        long deadline = System.nanoTime() + max.toNanos();
        progressLock.lock();
        try {
            while (written < target && connection.isOpen()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                progress.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
        } finally {
            progressLock.unlock();
        }
    }

    private void advance(long seq) {
        progressLock.lock();
        try {
            written = seq;
            progress.signalAll();
        } finally {
            progressLock.unlock();
        }
    }

    @Override
    public void run() {
        try {
            writing.lock();
            try {
                firstBatch();
            } finally {
                writing.unlock();
            }
            while (connection.isOpen() && connection.clientIsLive()) {
                Inbox.Batch batch = core.poll(client, written, BATCH, POLL);
                client.touch(System.currentTimeMillis());
                writing.lock();
                try {
                    // entries up to `written` may have gone out meanwhile with a labeled command's replies
                    if (!write(unwritten(batch.entries()), batch.dropped())) {
                        return;
                    }
                    advance(Math.max(written, batch.lastSeq()));
                } finally {
                    writing.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("IRC delivery to {} failed: {}", connection.describe(), e.toString());
        } finally {
            connection.deliveryEnded();
        }
    }

    private List<Inbox.Entry> unwritten(List<Inbox.Entry> entries) {
        int from = 0;
        while (from < entries.size() && entries.get(from).seq() <= written) {
            from++;
        }
        return from == 0 ? entries : entries.subList(from, entries.size());
    }

    private void firstBatch() throws InterruptedException {
        Inbox.Batch all = core.poll(client, attached.resumeAfter(), Integer.MAX_VALUE, Duration.ZERO);
        List<Inbox.Entry> burst = new ArrayList<>();
        List<Inbox.Entry> missed = new ArrayList<>();
        List<Inbox.Entry> later = new ArrayList<>();
        for (Inbox.Entry e : all.entries()) {
            if (e.seq() <= attached.burstAfter()) {
                missed.add(e);
            } else if (e.clientId() == client.id()) {
                burst.add(e);
            } else {
                later.add(e);
            }
        }
        if (write(burst, 0) && write(missed, all.dropped()) && write(later, 0)) {
            advance(all.lastSeq());
        }
    }

    /**
     * Runs a command with delivery held (IRCv3 labeled-response): once it has run, the entries queued
     * for this connection alone (its numerics, its own echoed messages) are rendered and handed to
     * {@code label}, which wraps them with the client's label; the result is written, then whatever
     * else arrived meanwhile (other users' messages), unlabeled.
     */
    void runLabeled(Runnable command, java.util.function.UnaryOperator<List<IrcLine>> label) throws InterruptedException {
        awaitCaughtUp(Duration.ofSeconds(5));
        writing.lock();
        try {
            String nickBefore = client.session().nick();
            command.run();
            Inbox.Batch batch = core.poll(client, written, Integer.MAX_VALUE, Duration.ZERO);
            List<IrcLine> replies = new ArrayList<>();
            List<IrcLine> others = new ArrayList<>();
            for (Inbox.Entry entry : batch.entries()) {
                Envelope e = decode(entry);
                if (e == null) {
                    continue;
                }
                boolean reply = entry.clientId() == client.id() || connection.sentHere(e) || byUser(e, nickBefore);
                List<IrcLine> lines = connection.linesFor(e);
                if (reply && connection.toSelf(e) && lines.size() > 1) {
                    // to oneself with echo-message: the echo is the reply, the copy received is not
                    replies.addAll(lines.subList(0, lines.size() / 2));
                    others.addAll(lines.subList(lines.size() / 2, lines.size()));
                } else {
                    (reply ? replies : others).addAll(lines);
                }
            }
            List<IrcLine> out = new ArrayList<>(label.apply(replies));
            out.addAll(others);
            connection.output().send(out);
            advance(Math.max(written, batch.lastSeq()));
        } finally {
            writing.unlock();
        }
    }

    /** The user's own action (JOIN, NICK, ...), under the nick it had before the command or has now. */
    private boolean byUser(Envelope e, String nickBefore) {
        String from = e.from();
        return from != null && (from.equalsIgnoreCase(nickBefore) || from.equalsIgnoreCase(client.session().nick()));
    }

    private boolean write(List<Inbox.Entry> entries, long dropped) {
        List<IrcLine> lines = new ArrayList<>();
        if (dropped > 0) {
            lines.add(connection.serverNotice(dropped + " lines were lost while this device was away (queue full);"
                    + " the channel history has them"));
        }
        for (Inbox.Entry entry : entries) {
            Envelope e = decode(entry);
            if (e != null) {
                lines.addAll(connection.linesFor(e));
            }
        }
        return lines.isEmpty() || connection.output().send(lines);
    }

    private Envelope decode(Inbox.Entry entry) {
        try {
            return decoded.decode(entry);
        } catch (IOException ex) {
            LOG.warn("undecodable queue entry {} for {}: {}", entry.seq(), connection.describe(), ex.getMessage());
            return null;
        }
    }
}
