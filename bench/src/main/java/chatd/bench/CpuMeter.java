package chatd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CPU seconds used by the server and by this load generator over the measured phase, how much of the
 * server's went to the JIT compilers, and the machine's load average: on a shared machine the
 * wall-clock rates move with the neighbours, the CPU cost per operation does not, so both are reported.
 * The compilers' share says whether the server was still warming up: C2 took 44 % of a federation
 * server's CPU in the first 25 s of a run.
 */
final class CpuMeter {
    private final Server server;
    private final CompletableFuture<Snapshot> start;
    private volatile Snapshot stop;

    private record Snapshot(long nanos, double server, double compilers, double self, String load) {
        static Snapshot of(Server server) {
            return new Snapshot(System.nanoTime(), server.cpuSeconds(), server.compilerCpuSeconds(),
                    Server.cpuSecondsOf(ProcessHandle.current().pid()), loadAverage());
        }
    }

    /** Measures from now on. */
    CpuMeter(Server server) {
        this.server = server;
        this.start = CompletableFuture.completedFuture(Snapshot.of(server));
    }

    /** Measures from {@code fromNanos} (a {@link System#nanoTime()} value) on: the warm-up is left out. */
    CpuMeter(Server server, long fromNanos) {
        this.server = server;
        this.start = CompletableFuture.supplyAsync(() -> Snapshot.of(server),
                CompletableFuture.delayedExecutor(Math.max(0, fromNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
    }

    /** Ends the measured phase here (else it ends at {@link #report}). */
    void stop() {
        stop = Snapshot.of(server);
    }

    /** Adds the CPU rows for {@code ops} operations of kind {@code unit} to the report. */
    void report(Report r, long ops, String unit) {
        report(r, ops, unit, "server", true);
    }

    /** As above, naming the server; {@code machine} adds the load generator and load-average rows. */
    void report(Report r, long ops, String unit, String label, boolean machine) {
        Snapshot from = start.join();
        Snapshot to = stop != null ? stop : Snapshot.of(server);
        double wall = (to.nanos() - from.nanos()) / 1e9;
        double srv = to.server() - from.server();
        if (from.server() >= 0) {
            r.row(label + " CPU", String.format(Locale.ROOT, "%.1f s over %.1f s (%.2f cores)%s", srv, wall, srv / wall,
                    ops > 0 ? String.format(Locale.ROOT, " = %.0f µs per %s", srv * 1e6 / ops, unit) : ""));
            double jit = to.compilers() - from.compilers();
            r.row(label + " CPU in the JIT compilers", String.format(Locale.ROOT, "%.1f s (%.0f %%)", jit, srv > 0 ? 100 * jit / srv : 0));
        }
        if (!machine) {
            return;
        }
        double self = to.self() - from.self();
        r.row("load generator CPU", String.format(Locale.ROOT, "%.1f s (%.2f cores)", self, self / wall));
        r.row("machine load average (start → end)", from.load() + " → " + to.load());
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
