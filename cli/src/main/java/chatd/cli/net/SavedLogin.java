package chatd.cli.net;

/**
 * What the login file keeps so the next start resumes the same client: server URL, nick, the
 * client's bearer token and its delivery cursor. {@code token} is null after {@code /quit}.
 */
public record SavedLogin(String server, String nick, String token, long cursor) {
    public SavedLogin withCursor(long value) {
        return new SavedLogin(server, nick, token, value);
    }

    public SavedLogin withNick(String value) {
        return new SavedLogin(server, value, token, cursor);
    }

    public SavedLogin withoutToken() {
        return new SavedLogin(server, nick, null, 0);
    }
}
