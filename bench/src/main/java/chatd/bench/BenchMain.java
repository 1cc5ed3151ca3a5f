package chatd.bench;

/** Entry point of bin/bench. */
public final class BenchMain {
    public static void main(String[] args) {
        System.err.println("bench: no scenarios yet");
        System.exit(2);
    }
}
