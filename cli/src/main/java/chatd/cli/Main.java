package chatd.cli;

/** Entry point of bin/chat (the terminal client). */
public final class Main {
    public static void main(String[] args) {
        System.err.println("chat: the terminal client is not built yet");
        System.exit(2);
    }
}
