package chatd.server;

/** Entry point of bin/chatd. */
public final class Main {
    public static void main(String[] args) {
        System.exit(2);
    }
}
