package chatd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU seconds used by the server and by this load generator over a phase, and the machine's load
 * average: on a shared machine the wall-clock rates move with the neighbours, the CPU cost per
 * operation does not, so both are reported.
 */
final class CpuMeter {
    private final Server server;
    private final double server0;
    private final double self0;
    private final long t0 = System.nanoTime();
    private final String load0 = loadAverage();

    CpuMeter(Server server) {
        this.server = server;
        this.server0 = server.cpuSeconds();
        this.self0 = Server.cpuSecondsOf(ProcessHandle.current().pid());
    }

    /** Adds the CPU rows for {@code ops} operations of kind {@code unit} to the report. */
    void report(Report r, long ops, String unit) {
        report(r, ops, unit, "server", true);
    }

    /** As above, naming the server; {@code machine} adds the load generator and load-average rows. */
    void report(Report r, long ops, String unit, String label, boolean machine) {
        double wall = (System.nanoTime() - t0) / 1e9;
        double srv = server.cpuSeconds() - server0;
        double self = Server.cpuSecondsOf(ProcessHandle.current().pid()) - self0;
        if (server0 >= 0) {
            r.row(label + " CPU", String.format(Locale.ROOT, "%.1f s over %.1f s (%.2f cores)%s", srv, wall, srv / wall,
                    ops > 0 ? String.format(Locale.ROOT, " = %.0f µs per %s", srv * 1e6 / ops, unit) : ""));
        }
        if (!machine) {
            return;
        }
        r.row("load generator CPU", String.format(Locale.ROOT, "%.1f s (%.2f cores)", self, self / wall));
        r.row("machine load average (start → end)", load0 + " → " + loadAverage());
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
