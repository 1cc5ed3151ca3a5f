package chatd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server jar as operators run it: with the JDK's AOT cache that {@code bin/lib/aot-train.sh} makes (bin/chatd
 * and the container start with one). A cache is only used with the jar path and JVM options it was trained
 * with, so the jar is copied into a directory named by its content, server/jvm.options' and the training
 * script's, and trained there once; later runs of the same build reuse both. The copy's name also keeps
 * other tools' name-based process cleanup away from it.
 */
final class ServerJar {
    /** @param aotCache null: start without one (its training failed, or another run holds its lock) */
    record Installed(Path jar, Path aotCache) {}

    private static final Map<Path, Installed> INSTALLED = new HashMap<>();

    private ServerJar() {}

    static synchronized Installed of(Path jar, Path jvmOptions, Path home) throws IOException {
        Installed known = INSTALLED.get(jar);
        if (known != null) {
            return known;
        }
        Path trainer = home.resolve("bin/lib/aot-train.sh");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "chatd-bench-jars", digest(jar, jvmOptions, trainer));
        Files.createDirectories(dir);
        Path copy = dir.resolve("bench-target-server.jar");
        if (!Files.exists(copy)) {
            Path partial = Files.createTempFile(dir, "jar", ".partial");
            Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
        }
        Path cache = dir.resolve("chatd.aot");
        if (!Files.exists(cache)) {
            train(trainer, copy, cache, jvmOptions);
        }
        Installed out = new Installed(copy, Files.exists(cache) ? cache : null);
        if (out.aotCache() == null) {
            System.err.println("bench: no AOT cache for " + copy + " (see " + cache + ".log): the servers start without one");
        }
        INSTALLED.put(jar, out);
        return out;
    }

    private static void train(Path trainer, Path jar, Path cache, Path jvmOptions) throws IOException {
        System.err.println("bench: training the AOT cache of this build, once (bin/lib/aot-train.sh, ~10 s)");
        ProcessBuilder pb = new ProcessBuilder(trainer.toString(), jar.toString(), cache.toString(),
                jvmOptions.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The first 16 hex digits of SHA-256 over the files (the jar, the options file, the training script). */
    private static String digest(Path... files) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
