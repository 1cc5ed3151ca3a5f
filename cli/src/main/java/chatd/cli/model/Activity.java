package chatd.cli.model;

/** How much a line matters to the user; a window's unread marker is the highest level it received. */
public enum Activity {
    /** Nothing new. */
    NONE,
    /** Joins, parts, topic changes and other system lines. */
    SYSTEM,
    /** Someone said something. */
    MESSAGE,
    /** Someone said something mentioning the user's nick, or a private message. */
    HIGHLIGHT;

    public Activity max(Activity other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
