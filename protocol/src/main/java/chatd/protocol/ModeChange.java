package chatd.protocol;

/**
 * One change of a MODE command: {@code +o bob}, {@code -t}, {@code +k secret}. {@code arg} is null when
 * the mode takes none, or when it needs one and the command did not give it ({@link #missingArgument}).
 */
public record ModeChange(boolean adding, char mode, String arg) {

    /** o, v and the lists b, e, I always take an argument; k and l only when set. */
    public static boolean needsArgument(char mode, boolean adding) {
        return mode == 'o' || mode == 'v' || isListMode(mode) || (adding && (mode == 'k' || mode == 'l'));
    }

    /** The mask lists: bans, ban exceptions, invite exceptions. */
    public static boolean isListMode(char mode) {
        return mode == 'b' || mode == 'e' || mode == 'I';
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
