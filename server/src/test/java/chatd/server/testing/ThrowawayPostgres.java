package chatd.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl under /tmp, on a free loopback port), which the
 * test may stop and start again. As root, the binaries run as user {@code postgres}, as {@code .ci/run}
 * does. {@link #binaries()} is null when PostgreSQL is not installed (the test is then skipped).
 */
public final class ThrowawayPostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;

    private ThrowawayPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** The directory holding initdb and pg_ctl (the newest /usr/lib/postgresql/N/bin, else the PATH's), or null. */
    public static Path binaries() {
        try (Stream<Path> versions = Files.isDirectory(Path.of("/usr/lib/postgresql")) ? Files.list(Path.of("/usr/lib/postgresql")) : Stream.empty()) {
            Path newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0")))).orElse(null);
            if (newest != null) {
                return newest;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "initdb")) && Files.isExecutable(Path.of(p, "pg_ctl"))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** Creates and starts a cluster (trust authentication, user postgres). */
    public static ThrowawayPostgres create(Path bin) throws IOException {
        Path dir = Files.createTempDirectory("chatd-test-pg");
        ThrowawayPostgres pg = new ThrowawayPostgres(bin, dir, ChildServer.freePort());
        if (root()) {
            run(List.of("chown", "-R", "postgres", dir.toString()), false);
        }
        pg.asPostgres(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-A", "trust");
        pg.start();
        return pg;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public void start() {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** A fast shutdown: sessions are terminated, as by a restart of the database service. */
    public void stop() {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() {
        try {
            asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
        } catch (IllegalStateException alreadyStopped) {
            // nothing to stop
        }
        run(List.of("rm", "-rf", dir.toString()), true);
    }

    private void asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        run(full, false);
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, boolean quiet) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                if (!quiet) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
