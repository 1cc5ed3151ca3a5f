package chatd.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chatd under test: a process this tool started (temp data dir, free port, its own log), or an
 * already running server given by URL (then RSS and heap are unknown unless --server-pid is given).
 */
final class Server implements AutoCloseable {
    /**
     * A heap's or a generation's total line of GC.heap_info: G1 has one ("total reserved …K, committed …K,
     * used …K"), Serial one per generation ("total …K, used …K").
     */
    private static final Pattern USED = Pattern.compile("total (?:reserved \\d+K, committed )?\\d+K, used (\\d+)K");

    final String name;
    final URI url;
    final Path dir;
    final String dbUrl;
    private final Process process;
    private final long pid;
    private final Path log;

    private Server(String name, URI url, Path dir, String dbUrl, Process process, long pid, Path log) {
        this.name = name;
        this.url = url;
        this.dir = dir;
        this.dbUrl = dbUrl;
        this.process = process;
        this.pid = pid;
        this.log = log;
    }

    static Server external(String url, long pid) {
        return new Server("external", URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), null, null, null, pid, null);
    }

    /** Everything needed to (re)start one chatd process. */
    record Launch(String name, Path jar, Path dir, String dbUrl, int port, Map<String, String> env, List<String> jvmOpts, Path jfr) {
        Launch withPort(int p) {
            return new Launch(name, jar, dir, dbUrl, p, env, jvmOpts, jfr);
        }
    }

    static Launch launch(Options o, String name, Path dir, String dbUrl, Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_NAME", name);
        env.put("HASHCASH_BITS", "0");
        env.put("LOGIN_RATE_LIMIT", "1000000");
        env.put("QUEUE_MAX", Integer.toString(o.queueMax));
        env.putAll(extraEnv);
        for (String kv : o.serverEnv) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Path jfr = o.jfr == null ? null : Path.of(o.jfr.replace("%s", name)).toAbsolutePath();
        return new Launch(name, o.serverJar(), dir, dbUrl, freePort(), env, o.serverOpts, jfr);
    }

    /**
     * Starts the process and waits until the health check answers. On a shared machine a neighbour's
     * cleanup may SIGTERM it during start-up (exit 143): that is retried once, and said.
     */
    static Server start(Launch l) throws IOException, InterruptedException {
        Server s = spawn(l);
        try {
            s.awaitHealthy(120_000);
        } catch (IOException e) {
            if (s.process == null || s.process.isAlive() || s.process.exitValue() != 143) {
                throw e;
            }
            System.err.println("bench: chatd " + l.name() + " was terminated from outside during start-up (exit 143); starting it again");
            s = spawn(l);
            s.awaitHealthy(120_000);
        }
        return s;
    }

    /** Starts the process without waiting for it. */
    static Server spawn(Launch l) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The JVM options every launcher uses (server/jvm.options: GC, heap, native-heap trimming) and the AOT
        // cache bin/chatd uses, so a bench measures what operators run; --server-opt comes later and wins (an
        // option the cache was not made with, such as another GC, makes the JVM start without it, silently).
        ServerJar.Installed jar = ServerJar.of(l.jar(), jvmOptions(), home());
        cmd.add("@" + jvmOptions());
        if (jar.aotCache() != null) {
            cmd.add("-XX:AOTCache=" + jar.aotCache());
            cmd.add("-Xlog:aot=off");
            cmd.add("-Xlog:cds=off");
        }
        cmd.addAll(l.jvmOpts());
        if (l.jfr() != null) {
            // jdk.CPUTimeSample (JDK 25) samples threads by CPU time, native frames (SQLite, libsodium) included;
            // jdk.ExecutionSample misses time in native code and jdk.NativeMethodSample counts idle waits too.
            cmd.add("-XX:StartFlightRecording=filename=" + l.jfr() + ",settings=profile,dumponexit=true"
                    + ",jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=5ms");
        }
        cmd.add("-jar");
        cmd.add(jar.jar().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(l.dir().toFile());
        pb.environment().putAll(l.env());
        pb.environment().put("PORT", Integer.toString(l.port()));
        pb.environment().put("BIND", "127.0.0.1");
        pb.environment().put("DBURL", l.dbUrl());
        pb.environment().put("PUBLIC_URL", "http://127.0.0.1:" + l.port());
        Path log = l.dir().resolve(l.name() + ".log");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        return new Server(l.name(), URI.create("http://127.0.0.1:" + l.port()), l.dir(), l.dbUrl(), p, p.pid(), log);
    }

    /** The checkout bin/bench runs from (CHATD_HOME), or the working directory. */
    private static Path home() {
        String home = System.getenv("CHATD_HOME");
        return Path.of(home == null ? "." : home).toAbsolutePath();
    }

    /** server/jvm.options of {@link #home()}. */
    private static Path jvmOptions() throws IOException {
        Path options = home().resolve("server").resolve("jvm.options");
        if (!Files.isRegularFile(options)) {
            throw new IOException("no " + options + ": run the bench through bin/bench (which sets CHATD_HOME)");
        }
        return options;
    }

    /** Polls the health check until it answers 200; returns the nanoTime it did. */
    long awaitHealthy(long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (HttpConn c = new HttpConn(url, 5_000)) {
                if (c.get("/.well-known/healthcheck.json", null).status() == 200) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (process != null && !process.isAlive()) {
                throw new IOException("chatd " + name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("chatd " + name + " not healthy after " + timeoutMs + " ms:\n" + tail());
            }
            Thread.sleep(20);
        }
    }

    boolean alive() {
        return process == null || process.isAlive();
    }

    long pid() {
        return pid;
    }

    /** Resident set size in KiB from /proc, or -1. */
    long rssKiB() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time (user + system) the process has used so far, in seconds, or -1. */
    double cpuSeconds() {
        return pid <= 0 ? -1 : cpuSecondsOf(pid);
    }

    /** CPU seconds of the server's JIT compiler threads (C1 and C2), or -1. */
    double compilerCpuSeconds() {
        if (pid <= 0) {
            return -1;
        }
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).matches("C[12] Compiler.*\\s*");
                } catch (IOException gone) {
                    return false;
                }
            }).mapToDouble(t -> ticks(t.resolve("stat"))).filter(s -> s >= 0).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    static double cpuSecondsOf(long pid) {
        return ticks(Path.of("/proc/" + pid + "/stat"));
    }

    /** utime + stime of a /proc stat file, in seconds (USER_HZ is 100 on Linux), or -1. */
    private static double ticks(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Heap in use right after a full GC (jcmd GC.run, then GC.heap_info), in KiB, or -1. */
    long heapAfterGcKiB() {
        if (pid <= 0) {
            return -1;
        }
        try {
            jcmd("GC.run");
            Matcher m = USED.matcher(jcmd("GC.heap_info"));
            long used = -1;
            while (m.find()) {
                used = Math.max(used, 0) + Long.parseLong(m.group(1));
            }
            return used;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** Output of one jcmd diagnostic command on the server (e.g. GC.class_histogram). */
    String jcmd(String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), what)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** The server's log so far. */
    String logText() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    String tail() {
        if (log == null) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops with SIGTERM (clean: commits and closes) and waits. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    /** Ports this run handed out: a probe's port is free again once closed, so a second probe may get it too. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A free port no other server of this run was given (two servers once got the same one: one failed to bind). */
    static int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
    }
}
