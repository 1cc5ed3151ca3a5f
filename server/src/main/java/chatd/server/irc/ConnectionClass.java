package chatd.server.irc;

/**
 * A connection class of the IRC gateway: how many lines its connections may send back to back
 * ({@code burst}) and how many a second after that, beyond which the reader waits ("fakelag"), and how
 * many connections of the class one address may hold. Written {@code burst/perSecond/perAddress}, each
 * a positive number or {@code none} for no limit ({@code none/none/…}: no fakelag at all).
 */
public record ConnectionClass(String name, int burst, double linesPerSecond, int perAddress) {
    static final String NONE = "none";
    /** A count written {@code none}. */
    static final int UNLIMITED = Integer.MAX_VALUE;
    /** Bounds that keep the token bucket's arithmetic (refill period, expiry) within a long of nanoseconds. */
    private static final int MOST = 1_000_000;
    private static final double LEAST_RATE = 0.001;
    private static final String FORM = "must be burst/lines-per-second/connections-per-address, e.g. 20/4/10 "
            + "(whole numbers 1-1000000 and a rate 0.001-1000000, each or none; burst and rate both none or neither)";

    public ConnectionClass {
        if ((burst == UNLIMITED) != Double.isInfinite(linesPerSecond)) {
            throw new IllegalArgumentException(FORM);
        }
        boolean limited = burst != UNLIMITED;
        if (limited && (burst < 1 || burst > MOST || !(linesPerSecond >= LEAST_RATE && linesPerSecond <= MOST))
                || perAddress < 1 || perAddress > MOST && perAddress != UNLIMITED) {
            throw new IllegalArgumentException(FORM);
        }
    }

    /** A class from its written form; an {@link IllegalArgumentException} says what is wrong. */
    public static ConnectionClass parse(String name, String written) {
        String[] parts = written.trim().split("\\s*/\\s*", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(FORM);
        }
        try {
            return new ConnectionClass(name, whole(parts[0]), rate(parts[1]), whole(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FORM);
        }
    }

    /** No fakelag: every line is handled as soon as it is read. */
    public boolean unlimitedLines() {
        return Double.isInfinite(linesPerSecond);
    }

    @Override
    public String toString() {
        return name + " (" + (unlimitedLines() ? NONE + "/" + NONE : burst + "/" + number(linesPerSecond)) + "/"
                + (perAddress == UNLIMITED ? NONE : perAddress) + ")";
    }

    private static int whole(String part) {
        return part.equalsIgnoreCase(NONE) ? UNLIMITED : Integer.parseInt(part);
    }

    private static double rate(String part) {
        if (part.equalsIgnoreCase(NONE)) {
            return Double.POSITIVE_INFINITY;
        }
        double rate = Double.parseDouble(part);
        if (Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new NumberFormatException(part);
        }
        return rate;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
