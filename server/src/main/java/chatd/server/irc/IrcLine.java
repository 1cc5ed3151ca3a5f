package chatd.server.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One IRC message (RFC 1459 §2.3, RFC 2812 §2.3.1) with IRCv3 message tags: {@code [@tags] [:source]
 * COMMAND params... [:trailing]}. Pure value, no I/O: the gateway parses what clients send with
 * {@link #parse} and writes what it renders with {@link #toWire()}.
 *
 * <p>Immutable; its wire form is made once, when first written, and shared by every connection the line
 * goes to (the renderer's lines for a channel message are the same instances for all its receivers).
 */
public final class IrcLine {
    /** RFC 1459: the message part, CR-LF included, is at most 512 bytes. */
    public static final int MAX_MESSAGE_BYTES = 512;
    /** IRCv3 message-tags: the tag part, '@' and the space included, is at most 8191 bytes. */
    public static final int MAX_TAG_BYTES = 8191;
    /** IRCv3 message-tags: what a client may send, between the '@' and the space (else 417). */
    public static final int MAX_CLIENT_TAG_BYTES = 4094;

    private final Map<String, String> tags;
    private final String source;
    private final String command;
    private final List<String> params;
    private final boolean trailing;
    /** {@link #toWire()} in UTF-8 with CR-LF, made on first use; a race makes it twice, equal. */
    private volatile byte[] wire;

    /**
     * @param tags     IRCv3 tags in order, values unescaped ("" for a tag without value)
     * @param source   prefix without the colon, or null
     * @param command  verb in upper case, or a three-digit numeric
     * @param params   parameters; the last one may contain spaces (it is written as trailing when needed)
     * @param trailing write the last parameter with a leading colon even when not needed (text-carrying
     *                 messages such as PRIVMSG, as real servers do, so naive clients see it as text)
     */
    public IrcLine(Map<String, String> tags, String source, String command, List<String> params, boolean trailing) {
        this(tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags)),
                params == null ? List.of() : List.copyOf(params), source, command, trailing);
    }

    /** Takes tags and params as they are: only for values that are already immutable copies. */
    private IrcLine(Map<String, String> frozenTags, List<String> frozenParams, String source, String command, boolean trailing) {
        this.tags = frozenTags;
        this.source = source;
        this.command = command;
        this.params = frozenParams;
        this.trailing = trailing;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public String source() {
        return source;
    }

    public String command() {
        return command;
    }

    public List<String> params() {
        return params;
    }

    public boolean trailing() {
        return trailing;
    }

    public static IrcLine of(String source, String command, List<String> params) {
        return new IrcLine(Map.of(), source, command, params, false);
    }

    public static IrcLine of(String source, String command, String... params) {
        return of(source, command, List.of(params));
    }

    public IrcLine withTags(Map<String, String> newTags) {
        return new IrcLine(newTags, source, command, params, trailing);
    }

    public IrcLine withTrailing() {
        return new IrcLine(tags, params, source, command, true);
    }

    public String param(int index) {
        return index < params.size() ? params.get(index) : null;
    }

    public String last() {
        return params.isEmpty() ? null : params.getLast();
    }

    /**
     * Parses one line (without its CR-LF). Liberal as servers are: repeated spaces between parameters
     * are one separator, the verb is upper-cased. Answers null for a line with no command (blank or
     * only tags/source), which servers silently ignore.
     */
    public static IrcLine parse(String line) {
        int n = line.length();
        int i = skipSpaces(line, 0);
        Map<String, String> tags = Map.of();
        if (i < n && line.charAt(i) == '@') {
            int end = indexOfSpace(line, i);
            tags = parseTags(line.substring(i + 1, end));
            i = skipSpaces(line, end);
        }
        String source = null;
        if (i < n && line.charAt(i) == ':') {
            int end = indexOfSpace(line, i);
            source = line.substring(i + 1, end);
            i = skipSpaces(line, end);
        }
        if (i >= n) {
            return null;
        }
        int end = indexOfSpace(line, i);
        String command = line.substring(i, end).toUpperCase(Locale.ROOT);
        i = skipSpaces(line, end);
        List<String> params = new ArrayList<>();
        boolean trailing = false;
        while (i < n) {
            if (line.charAt(i) == ':') {
                params.add(line.substring(i + 1));
                trailing = true;
                break;
            }
            end = indexOfSpace(line, i);
            params.add(line.substring(i, end));
            i = skipSpaces(line, end);
        }
        return new IrcLine(tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(tags), List.copyOf(params), source,
                command, trailing);
    }

    /** The line as sent on the wire, without CR-LF. */
    public String toWire() {
        StringBuilder out = new StringBuilder(64);
        if (!tags.isEmpty()) {
            out.append('@');
            boolean first = true;
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (!first) {
                    out.append(';');
                }
                first = false;
                out.append(tag.getKey());
                if (!tag.getValue().isEmpty()) {
                    out.append('=').append(escapeTagValue(tag.getValue()));
                }
            }
            out.append(' ');
        }
        if (source != null) {
            out.append(':').append(source).append(' ');
        }
        out.append(command);
        for (int p = 0; p < params.size(); p++) {
            String value = params.get(p);
            boolean lastParam = p == params.size() - 1;
            out.append(' ');
            if (lastParam && (trailing || value.isEmpty() || value.indexOf(' ') >= 0 || value.startsWith(":"))) {
                out.append(':');
            }
            out.append(value);
        }
        return out.toString();
    }

    /** Bytes of the message part (no tags), CR-LF included: what the 512-byte limit counts. */
    public int messageBytes() {
        return withTags(Map.of()).toWire().getBytes(StandardCharsets.UTF_8).length + 2;
    }

    /** {@link #toWire()} as sent: UTF-8 bytes with CR-LF. The caller must not change the array. */
    byte[] wireBytes() {
        byte[] bytes = wire;
        if (bytes == null) {
            bytes = (toWire() + "\r\n").getBytes(StandardCharsets.UTF_8);
            wire = bytes;
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IrcLine l && trailing == l.trailing && tags.equals(l.tags) && Objects.equals(source, l.source)
                && command.equals(l.command) && params.equals(l.params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tags, source, command, params, trailing);
    }

    @Override
    public String toString() {
        return toWire();
    }

    private static Map<String, String> parseTags(String raw) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : raw.split(";")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            tags.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "" : unescapeTagValue(part.substring(eq + 1)));
        }
        return tags;
    }

    /** IRCv3 tag value escaping: {@code ; SPACE \ CR LF} as {@code \: \s \\ \r \n}. */
    static String escapeTagValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case ';' -> out.append("\\:");
                case ' ' -> out.append("\\s");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescapeTagValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= value.length()) {
                break; // a lone trailing backslash is dropped
            }
            char e = value.charAt(i);
            out.append(switch (e) {
                case ':' -> ';';
                case 's' -> ' ';
                case 'r' -> '\r';
                case 'n' -> '\n';
                default -> e;
            });
        }
        return out.toString();
    }

    private static int indexOfSpace(String s, int from) {
        int i = s.indexOf(' ', from);
        return i < 0 ? s.length() : i;
    }

    private static int skipSpaces(String s, int from) {
        while (from < s.length() && s.charAt(from) == ' ') {
            from++;
        }
        return from;
    }
}
