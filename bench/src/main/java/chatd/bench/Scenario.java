package chatd.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;

/**
 * What every scenario shares: a scratch directory, scratch databases, the servers it started (stopped at
 * the end), helpers to run setup steps in parallel, and the exit status (1 on failed requests or
 * lost/duplicated messages, 3 on a missed target with --strict, 2 when the run itself broke).
 */
abstract class Scenario implements Callable<Integer> {
    private static final Pattern PG = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    @Mixin
    Options opts;

    Path dir;
    final Errors errors = new Errors();
    private final List<Server> servers = new ArrayList<>();
    private final List<String> scratchDatabases = new ArrayList<>();

    abstract Report run() throws Exception;

    @Override
    public Integer call() {
        try {
            dir = Files.createTempDirectory("chatd-bench-");
            Report report = run();
            report.print(System.out);
            return report.failed() ? 1 : opts.strict && report.missed() ? 3 : 0;
        } catch (Unavailable e) {
            System.out.println();
            System.out.println("### " + e.getMessage());
            System.err.println("bench: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("bench: run failed: " + e);
            e.printStackTrace();
            return 2;
        } finally {
            for (Server s : servers) {
                s.close();
            }
            cleanup();
        }
    }

    /** A scenario that cannot run against this server (e.g. federation not implemented yet). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ servers and databases

    /** The server under test: the --url one, or a fresh process on a scratch database. */
    Server server(String name, Map<String, String> env) throws IOException, InterruptedException, SQLException {
        if (opts.url != null) {
            return Server.external(opts.url, opts.serverPid);
        }
        return start(Server.launch(opts, name, dir, newDatabase(name), env));
    }

    Server start(Server.Launch launch) throws IOException, InterruptedException {
        Server s = Server.start(launch);
        servers.add(s);
        return s;
    }

    Server spawn(Server.Launch launch) throws IOException {
        Server s = Server.spawn(launch);
        servers.add(s);
        return s;
    }

    void forget(Server s) {
        servers.remove(s);
    }

    /** A JDBC URL of an empty database: a SQLite file in the scratch dir, or a new PostgreSQL database. */
    String newDatabase(String name) throws SQLException {
        if (!opts.postgres()) {
            return "jdbc:sqlite:" + dir.resolve(name + ".db");
        }
        if (opts.pgUrl == null) {
            throw new IllegalArgumentException("--db postgres needs --pg-url jdbc:postgresql://host:port/db?user=...");
        }
        Matcher m = PG.matcher(opts.pgUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("--pg-url must look like jdbc:postgresql://host:port/db?user=...");
        }
        String db = "chatd_bench_" + ProcessHandle.current().pid() + "_" + name.replaceAll("[^a-z0-9]", "");
        try (Connection c = DriverManager.getConnection(opts.pgUrl); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db);
            st.execute("CREATE DATABASE " + db);
        }
        scratchDatabases.add(db);
        return m.group(1) + db + m.group(3);
    }

    private void cleanup() {
        if (opts.keep) {
            System.err.println("bench: kept " + dir + (scratchDatabases.isEmpty() ? "" : " and databases " + scratchDatabases));
            return;
        }
        if (!scratchDatabases.isEmpty()) {
            try (Connection c = DriverManager.getConnection(opts.pgUrl); Statement st = c.createStatement()) {
                for (String db : scratchDatabases) {
                    st.execute("DROP DATABASE IF EXISTS " + db);
                }
            } catch (SQLException e) {
                System.err.println("bench: could not drop scratch databases: " + e.getMessage());
            }
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    interface Task {
        void run(int i) throws Exception;
    }

    /** Runs {@code task(0..n-1)} on virtual threads, at most {@code concurrency} at a time; rethrows the first failure. */
    static void parallel(int n, int concurrency, Task task) throws Exception {
        Semaphore permits = new Semaphore(concurrency);
        List<Future<?>> futures = new ArrayList<>(n);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                permits.acquire();
                futures.add(ex.submit(() -> {
                    try {
                        task.run(index);
                        return null;
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
        }
    }

    /** Creates {@code n} sessions named prefix+i. */
    static Api.User[] sessions(URI url, String prefix, int n, int concurrency) throws Exception {
        Api.User[] users = new Api.User[n];
        parallel(n, concurrency, i -> users[i] = Api.createSession(url, i, prefix + i));
        return users;
    }

    /** Starts one receiver per user on its own virtual thread and connection. */
    static List<Receiver> receivers(URI url, Api.User[] users, int pollTimeout, Histogram latency, Errors errors, List<Thread> threads) {
        List<Receiver> out = new ArrayList<>(users.length);
        for (Api.User u : users) {
            Receiver r = new Receiver(u, new HttpConn(url, (pollTimeout + 60) * 1000), 0, pollTimeout, latency, errors);
            out.add(r);
            threads.add(Thread.ofVirtual().name("poll-" + u.nick).start(r));
        }
        return out;
    }

    /**
     * Waits until every receiver has at least {@code expected(r)} deliveries (or the timeout), then stops
     * them and answers the number of acknowledged messages that never arrived.
     */
    static long settle(List<Receiver> receivers, List<Thread> threads, java.util.function.ToLongFunction<Receiver> expected,
            long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            boolean all = true;
            for (Receiver r : receivers) {
                if (r.delivered() < expected.applyAsLong(r)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                break;
            }
            Thread.sleep(20);
        }
        Thread.sleep(200); // late duplicates still count
        for (Receiver r : receivers) {
            r.stop();
        }
        for (Thread t : threads) {
            t.join();
        }
        return 0;
    }

    /** How many poll answers carried the deliveries: each answer is one HTTP round trip. */
    static void pollAnswers(Report report, List<Receiver> rs) {
        long answers = sum(rs, Receiver::answers);
        report.row("poll answers", Report.num(answers) + String.format(" (%.1f deliveries per answer)", sum(rs, Receiver::delivered) / (double) Math.max(1, answers)));
    }

    static long sum(List<Receiver> rs, java.util.function.ToLongFunction<Receiver> f) {
        long s = 0;
        for (Receiver r : rs) {
            s += f.applyAsLong(r);
        }
        return s;
    }

    /**
     * Closed-loop senders: each PRIVMSGs into its channel and sends the next message as soon as the last
     * one is acknowledged, until {@code end}; acks after {@code measureFrom} go into {@code ack}.
     * Answers when every sender has stopped.
     */
    static void closedLoopSenders(Api.User[] senders, java.util.function.IntFunction<String> channelOf, Acked[] acked,
            Histogram ack, java.util.concurrent.atomic.LongAdder measured, Errors errors, long measureFrom, long end)
            throws InterruptedException {
        Thread[] threads = new Thread[senders.length];
        for (int s = 0; s < senders.length; s++) {
            int sender = s;
            Api.User u = senders[s];
            String channel = channelOf.apply(s);
            threads[s] = Thread.ofVirtual().start(() -> {
                int seq = 0;
                long t0;
                while ((t0 = System.nanoTime()) < end) {
                    try {
                        HttpConn.Response r = u.privmsg(channel, payload(sender, seq));
                        long t1 = System.nanoTime();
                        if (r.ok()) {
                            acked[sender].add(seq);
                            if (t0 >= measureFrom) {
                                ack.recordNanos(t1 - t0);
                                measured.increment();
                            }
                        } else {
                            errors.add("PRIVMSG", r);
                        }
                    } catch (java.io.IOException e) {
                        errors.add("PRIVMSG", e);
                        u.conn.close();
                    }
                    seq++;
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Connections an open-loop sender may use at once (see {@link #pacedSenders}). */
    static final int CONNECTIONS_PER_SENDER = 16;

    /**
     * As {@link #closedLoopSenders} when {@code rate} is 0; else open loop: {@code rate} messages a
     * second in all, taking turns between the senders, each sent on schedule whether or not earlier
     * ones are acknowledged yet (a slow answer does not delay or thin out the load), on at most
     * {@link #CONNECTIONS_PER_SENDER} keep-alive connections per sender, as a client library would
     * keep. Latencies count from when a message was due, so the wait for a free connection is in them
     * (no coordinated omission), and a server that falls behind is not also buried in new connections.
     */
    static void pacedSenders(URI url, Api.User[] senders, java.util.function.IntFunction<String> channelOf, Acked[] acked,
            Histogram ack, java.util.concurrent.atomic.LongAdder measured, Errors errors, long measureFrom, long end,
            double rate) throws InterruptedException {
        if (rate <= 0) {
            closedLoopSenders(senders, channelOf, acked, ack, measured, errors, measureFrom, end);
            return;
        }
        List<ConcurrentLinkedQueue<HttpConn>> pools = new ArrayList<>();
        List<Semaphore> connections = new ArrayList<>();
        int[] seqs = new int[senders.length];
        for (int i = 0; i < senders.length; i++) {
            pools.add(new ConcurrentLinkedQueue<>()); // not the user's own connection: it may be polling
            connections.add(new Semaphore(CONNECTIONS_PER_SENDER, true)); // fair: in the order they fell due
        }
        long interval = (long) (1e9 / rate);
        List<Thread> sends = new ArrayList<>();
        int turn = 0;
        for (long next = System.nanoTime(); next < end; next += interval, turn = (turn + 1) % senders.length) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int sender = turn;
            int seq = seqs[sender]++;
            Api.User u = senders[sender];
            String channel = channelOf.apply(sender);
            long t0 = next;
            sends.add(Thread.ofVirtual().start(() -> {
                connections.get(sender).acquireUninterruptibly();
                HttpConn c = pools.get(sender).poll();
                if (c == null) {
                    c = new HttpConn(url, 60_000);
                }
                try {
                    HttpConn.Response r = c.post("/api/v1/messages", u.token, Api.privmsgBody(channel, payload(sender, seq, t0)));
                    if (r.ok()) {
                        acked[sender].add(seq);
                        if (t0 >= measureFrom) {
                            ack.recordNanos(System.nanoTime() - t0);
                            measured.increment();
                        }
                    } else {
                        errors.add("PRIVMSG", r);
                    }
                    pools.get(sender).add(c);
                } catch (java.io.IOException e) {
                    errors.add("PRIVMSG", e);
                    c.close();
                } finally {
                    connections.get(sender).release();
                }
            }));
            if (sends.size() > 10_000) {
                sends.removeIf(t -> !t.isAlive());
            }
        }
        for (Thread t : sends) {
            t.join();
        }
        pools.forEach(pool -> pool.forEach(HttpConn::close));
    }

    /** A thread-safe set of acknowledged sequence numbers of one sender. */
    static final class Acked {
        private final BitSet bits = new BitSet();

        synchronized void add(int seq) {
            bits.set(seq);
        }

        synchronized BitSet snapshot() {
            return (BitSet) bits.clone();
        }

        synchronized int count() {
            return bits.cardinality();
        }
    }

    static String payload(int sender, int seq) {
        return payload(sender, seq, System.nanoTime());
    }

    /** A message body that carries its sender, its number and when it was sent (for delivery latency). */
    static String payload(int sender, int seq, long sentNanos) {
        return new Stamp(sender, seq, sentNanos).text();
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void log(String fmt, Object... args) {
        System.err.printf("bench: " + fmt + "%n", args);
    }
}
