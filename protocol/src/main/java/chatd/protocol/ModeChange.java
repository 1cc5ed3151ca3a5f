package chatd.protocol;

/**
 * One change of a MODE command: {@code +o bob}, {@code -t}, {@code +k secret}. {@code arg} is null when
 * the mode takes none, or when it needs one and the command did not give it ({@link #missingArgument}).
 */
public record ModeChange(boolean adding, char mode, String arg) {

    /** o, v and b always take an argument; k and l only when set. */
    public static boolean needsArgument(char mode, boolean adding) {
        return mode == 'o' || mode == 'v' || mode == 'b' || (adding && (mode == 'k' || mode == 'l'));
    }

    public boolean missingArgument() {
        return arg == null && needsArgument(mode, adding);
    }

    public boolean isPrefixMode() {
        return mode == 'o' || mode == 'v';
    }

    public ModeChange withArg(String value) {
        return new ModeChange(adding, mode, value);
    }
}
