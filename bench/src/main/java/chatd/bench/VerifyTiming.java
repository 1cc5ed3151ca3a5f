package chatd.bench;

import chatd.protocol.Ed25519;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * CPU time per origin signature as a receiving server verifies them ({@link Ed25519#verifyEach}: one relayed
 * batch's events of one origin), by batch size, next to one-by-one {@link Ed25519#verify}, and as the origin
 * makes one ({@link Ed25519.SigningKey#sign}: every relayed event is signed alone, SPEC §7.4). No server: one
 * thread, this JVM, warmed up first; thread CPU time, so other load on the machine counts little.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "µs of CPU per Ed25519 signature made and verified, by batch size (no server started)")
final class VerifyTiming implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", description = "batch sizes (default ${DEFAULT-VALUE})")
    List<Integer> sizes = List.of(1, 2, 4, 8, 16, 64); // relayed batches are mostly 5–16 signatures

    @Option(names = "--seconds", description = "measured CPU seconds per size (default ${DEFAULT-VALUE})")
    double seconds = 3;

    @Option(names = "--warmup", description = "warm-up CPU seconds per size (default ${DEFAULT-VALUE})")
    double warmup = 2;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public Integer call() {
        SecureRandom random = new SecureRandom();
        Ed25519.KeyPair keys = Ed25519.generate(random);
        Ed25519.SigningKey signer = new Ed25519.SigningKey(keys.privateKey());
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        int most = sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (int i = 0; i < most; i++) {
            byte[] message = ("{\"envelope\":{\"body\":[\"message " + i + " " + "x".repeat(100) + "\"],\"command\":\"PRIVMSG\"},"
                    + "\"id\":\"alpha-" + i + "\",\"origin\":\"alpha\"}").getBytes(StandardCharsets.UTF_8);
            messages.add(message);
            signatures.add(signer.sign(message));
        }
        System.out.printf("Ed25519 verification (backend %s), µs of CPU per signature%n", Ed25519.backend());
        System.out.printf("%8s  %14s  %14s%n", "batch", "verifyEach", "one by one");
        for (int n : sizes) {
            List<byte[]> m = messages.subList(0, n);
            List<byte[]> s = signatures.subList(0, n);
            Runnable batch = () -> require(Ed25519.verifyEach(keys.publicKey(), m, s));
            Runnable single = () -> {
                for (int i = 0; i < n; i++) {
                    require(new boolean[] {Ed25519.verify(keys.publicKey(), m.get(i), s.get(i))});
                }
            };
            System.out.printf("%8d  %14.1f  %14.1f%n", n, micros(batch, n), micros(single, n));
        }
        byte[] event = messages.getFirst();
        System.out.printf("Ed25519 signing (backend %s): %.1f µs of CPU per signature%n", Ed25519.backend(),
                micros(() -> signer.sign(event), 1));
        return 0;
    }

    /** CPU µs per signature of {@code run} (which checks {@code n}), after a warm-up. */
    private double micros(Runnable run, int n) {
        repeat(run, warmup);
        long[] rounds = repeat(run, seconds);
        return rounds[1] / 1e3 / rounds[0] / n;
    }

    /** Runs {@code run} for {@code cpuSeconds} of this thread's CPU: {rounds, CPU nanoseconds}. */
    private long[] repeat(Runnable run, double cpuSeconds) {
        long t0 = threads.getCurrentThreadCpuTime();
        long budget = (long) (cpuSeconds * 1e9);
        long rounds = 0;
        long used;
        do {
            run.run();
            rounds++;
            used = threads.getCurrentThreadCpuTime() - t0;
        } while (used < budget);
        return new long[] {rounds, used};
    }

    private static void require(boolean[] valid) {
        for (boolean v : valid) {
            if (!v) {
                throw new IllegalStateException("a valid signature was refused");
            }
        }
    }
}
