package chatd.server.irc;

/**
 * A connection class of the IRC gateway: how many lines its connections may send back to back
 * ({@code burst}) and how many a second after that, beyond which the reader waits ("fakelag"), and how
 * many connections of the class one address may hold. Written {@code burst/perSecond/perAddress}, each
 * a positive number or {@code none} for no limit ({@code none/none/…}: no fakelag at all).
 */
public record ConnectionClass(String name, int burst, double linesPerSecond, int perAddress) {
    static final String NONE = "none";
    private static final String FORM = "must be burst/lines-per-second/connections-per-address, e.g. 20/4/10 "
            + "(each a positive number or none; burst and rate both none or neither)";

    public ConnectionClass {
        if ((burst == Integer.MAX_VALUE) != Double.isInfinite(linesPerSecond)) {
            throw new IllegalArgumentException(FORM);
        }
        if (burst < 1 || !(linesPerSecond > 0) || perAddress < 1) {
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
                + (perAddress == Integer.MAX_VALUE ? NONE : perAddress) + ")";
    }

    private static int whole(String part) {
        return part.equalsIgnoreCase(NONE) ? Integer.MAX_VALUE : Integer.parseInt(part);
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
