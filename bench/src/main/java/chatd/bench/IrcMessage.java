package chatd.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One line a server sent, split as RFC 1459 says ({@code [@tags] [:prefix] COMMAND params [:trailing]}):
 * enough for the bench's IRC clients, which only look at the command, the sender and the last parameter.
 * Tags are skipped: the bench asks for no capabilities.
 */
record IrcMessage(String prefix, String command, List<String> params) {

    /** The message in {@code line} (without CR LF), or null when it has no command. */
    static IrcMessage parse(String line) {
        int n = line.length();
        int i = 0;
        if (line.startsWith("@")) {
            i = skipSpaces(line, wordEnd(line, 0));
        }
        String prefix = null;
        if (i < n && line.charAt(i) == ':') {
            int end = wordEnd(line, i);
            prefix = line.substring(i + 1, end);
            i = skipSpaces(line, end);
        }
        int end = wordEnd(line, i);
        if (end == i) {
            return null;
        }
        String command = line.substring(i, end);
        List<String> params = new ArrayList<>(3);
        i = skipSpaces(line, end);
        while (i < n) {
            if (line.charAt(i) == ':') {
                params.add(line.substring(i + 1));
                break;
            }
            end = wordEnd(line, i);
            params.add(line.substring(i, end));
            i = skipSpaces(line, end);
        }
        return new IrcMessage(prefix, command, params);
    }

    /** The sender's nick as the gateway writes it ({@code bob} or, for a user of another server, {@code bob/beta}). */
    String nick() {
        if (prefix == null) {
            return null;
        }
        int bang = prefix.indexOf('!');
        return bang < 0 ? prefix : prefix.substring(0, bang);
    }

    /** The nick without the server a remote user is shown with: {@code bob/beta} → {@code bob}. */
    String localNick() {
        String nick = nick();
        int slash = nick == null ? -1 : nick.indexOf('/');
        return slash < 0 ? nick : nick.substring(0, slash);
    }

    /** From the server itself rather than a user (no {@code nick!user@host}). */
    boolean fromServer() {
        return prefix == null || prefix.indexOf('!') < 0;
    }

    String param(int index) {
        return index < params.size() ? params.get(index) : null;
    }

    String last() {
        return params.isEmpty() ? null : params.getLast();
    }

    /** The numeric reply code, or -1 for a command. */
    int numeric() {
        if (command.length() != 3) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            if (!Character.isDigit(command.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(command);
    }

    private static int wordEnd(String line, int from) {
        int space = line.indexOf(' ', from);
        return space < 0 ? line.length() : space;
    }

    private static int skipSpaces(String line, int from) {
        while (from < line.length() && line.charAt(from) == ' ') {
            from++;
        }
        return from;
    }
}
