package chatd.bench;

/**
 * What a benchmark message says about itself: its sender, its number from that sender, and when it was
 * sent ({@link System#nanoTime()} of this JVM, so sender and receiver must be the same process). Written
 * as {@code b:<sender>:<seq>:<sentNanos>}, the text of an HTTP or IRC PRIVMSG alike.
 */
record Stamp(int sender, int seq, long sentNanos) {
    private static final String PREFIX = "b:";

    String text() {
        return PREFIX + sender + ":" + seq + ":" + sentNanos;
    }

    /** The stamp a message text carries, or null when it is not exactly a benchmark text. */
    static Stamp parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return null;
        }
        int a = text.indexOf(':', PREFIX.length());
        int b = a < 0 ? -1 : text.indexOf(':', a + 1);
        if (b < 0) {
            return null;
        }
        try {
            int sender = Integer.parseInt(text, PREFIX.length(), a, 10);
            int seq = Integer.parseInt(text, a + 1, b, 10);
            long sent = Long.parseLong(text, b + 1, text.length(), 10);
            return sender < 0 || seq < 0 ? null : new Stamp(sender, seq, sent);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
