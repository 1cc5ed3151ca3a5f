package chatd.cli.model;

/**
 * One rendered line of a window: a wall-clock time ({@code HH:MM}) and its text, already formatted
 * ({@code <bob> hello}, {@code -!- bob has joined #room}).
 */
public record Line(String time, String text, Activity activity) {
    /** The line as the user sees it: {@code [HH:MM] text}. */
    public String render() {
        return "[" + time + "] " + text;
    }
}
