package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.server.core.Monitoring;
import chatd.server.core.command.InviteNotify;
import chatd.server.core.command.ServerTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Core envelope → IRC lines, the way a classic server writes them: users as {@code nick!user@host}
 * (remote ones as {@code bob/beta!bob@beta}), text as a trailing parameter, one line per body line and
 * long lines split to fit 512 bytes. Capabilities only add tags or trim prefixes; they never change
 * what is said. Pure: no I/O, no state beyond the server name.
 */
final class IrcRenderer {

    /**
     * WHOIS presence (320) that IRC already says with standard numerics (301 away, 317 idle): IRC clients
     * get 320 only for what has no other form, a user who is offline or unreachable.
     */
    private static final Set<String> ANSWERED_ELSEWHERE = Set.of("is online", "is idle", "is away");

    private final String serverName;
    /** Whether a local nick is an account's (IRCv3 account-tag). */
    private final java.util.function.Predicate<String> isAccount;

    IrcRenderer(String serverName, java.util.function.Predicate<String> isAccount) {
        this.serverName = serverName;
        this.isAccount = isAccount;
    }

    String serverName() {
        return serverName;
    }

    /** The lines for one delivered envelope; empty for what IRC has no form for (PUBKEY). */
    List<IrcLine> render(Envelope e, Set<IrcCaps> caps) {
        List<IrcLine> lines = switch (e.command()) {
            case "PRIVMSG", "NOTICE" -> text(e);
            case "TAGMSG" -> caps.contains(IrcCaps.MESSAGE_TAGS)
                    ? List.of(IrcLine.of(source(e.from()), "TAGMSG", IrcNicks.toIrc(e.to()))) : List.of();
            case "JOIN" -> List.of(IrcLine.of(source(e.from()), "JOIN", e.to()));
            case "PART", "QUIT" -> List.of(withOptionalText(e, e.command().equals("PART") ? List.of(e.to()) : List.of()));
            case "KICK" -> List.of(IrcLine.of(source(e.from()), "KICK", e.to(), IrcNicks.toIrc(e.param(0)),
                    firstOr(e, "")).withTrailing());
            case "TOPIC" -> List.of(IrcLine.of(source(e.from()), "TOPIC", e.to(), firstOr(e, "")).withTrailing());
            case "NICK" -> List.of(IrcLine.of(source(e.from()), "NICK", IrcNicks.toIrc(firstOr(e, e.to()))).withTrailing());
            case "MODE" -> List.of(IrcLine.of(source(e.from()), "MODE", concat(List.of(IrcNicks.toIrc(e.to())), translated(e.params()))));
            // another user's invitation (invite-notify) only to clients that asked: others would take it for theirs
            case "INVITE" -> !flagged(e, InviteNotify.FLAG) || caps.contains(IrcCaps.INVITE_NOTIFY)
                    ? List.of(IrcLine.of(source(e.from()), "INVITE", IrcNicks.toIrc(e.to()), e.param(0))) : List.of();
            case "PONG" -> List.of(IrcLine.of(source(e.from()), "PONG", concat(e.params(), e.bodyLines())).withTrailing());
            case "AWAY" -> shown(e, caps, IrcCaps.AWAY_NOTIFY) ? List.of(withOptionalText(e, List.of())) : List.of();
            case "SETNAME" -> shown(e, caps, IrcCaps.SETNAME) ? List.of(withOptionalText(e, List.of())) : List.of();
            case "PUBKEY" -> List.of();
            case "MARKREAD" -> caps.contains(IrcCaps.READ_MARKER) ? List.of(generic(e)) : List.of();
            default -> isNumeric(e.command()) ? numeric(e, caps) : List.of(generic(e));
        };
        Map<String, String> tags = tags(e, caps);
        if (tags.isEmpty()) {
            return lines;
        }
        return lines.stream().map(l -> l.withTags(tags)).toList();
    }

    /** A notification behind a capability; one that comes from MONITOR needs extended-monitor too. */
    private static boolean shown(Envelope e, Set<IrcCaps> caps, IrcCaps needed) {
        return caps.contains(needed) && (!flagged(e, Monitoring.MONITOR_FLAG) || caps.contains(IrcCaps.EXTENDED_MONITOR));
    }

    /** A {@code meta} flag the core set on the envelope ({@code monitor}, {@code notify}, {@code bot}). */
    private static boolean flagged(Envelope e, String flag) {
        return e.meta() != null && e.meta().path(flag).asBoolean(false);
    }

    /** {@code nick!user@host} for users, the server name for servers (numerics, PONG, server notices). */
    String source(String from) {
        if (from == null || from.isEmpty()) {
            return serverName;
        }
        if (from.equals(serverName) || (from.indexOf('@') < 0 && from.indexOf('.') >= 0)) {
            return from;
        }
        return IrcNicks.toIrc(from) + "!" + IrcNicks.user(from) + "@" + IrcNicks.host(from, serverName);
    }

    private Map<String, String> tags(Envelope e, Set<IrcCaps> caps) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (caps.contains(IrcCaps.SERVER_TIME) && e.ts() != null) {
            try {
                tags.put("time", ServerTime.format(Instant.parse(e.ts()))); // always with milliseconds
            } catch (RuntimeException ignored) {
                // a peer's malformed ts: the line goes without the tag rather than not at all
            }
        }
        if (caps.contains(IrcCaps.MESSAGE_TAGS) && e.id() != null && !isNumeric(e.command())) {
            tags.put("msgid", e.id());
        }
        if (caps.contains(IrcCaps.ACCOUNT_TAG) && e.from() != null && !isNumeric(e.command()) && isAccount.test(e.from())) {
            tags.put("account", e.from());
        }
        if (caps.contains(IrcCaps.MESSAGE_TAGS) && flagged(e, "bot")) {
            tags.put("bot", "");
        }
        if (caps.contains(IrcCaps.MESSAGE_TAGS) && e.meta() != null && e.meta().path(IrcInbound.CLIENT_TAGS).isObject()) {
            e.meta().path(IrcInbound.CLIENT_TAGS).fields().forEachRemaining(t -> {
                if (t.getKey().startsWith("+") && t.getValue().isTextual()) {
                    tags.put(t.getKey(), t.getValue().asText());
                }
            });
        }
        return tags;
    }

    /**
     * PRIVMSG/NOTICE: one line per body line. A line is split only when it could not have been sent in
     * one IRC line ({@code PRIVMSG target :text} over 512 bytes: a long message from an HTTP client);
     * what an IRC client sent in one line arrives in one line, even when the sender's prefix makes it
     * longer than 512 bytes (as ergo does: splitting would make two messages of one). CTCP passes as is.
     */
    private List<IrcLine> text(Envelope e) {
        String src = source(e.from());
        String to = IrcNicks.toIrc(e.to());
        // "PRIVMSG #chan " and CR-LF: a client may send the text without the colon
        int room = IrcLine.MAX_MESSAGE_BYTES - IrcLine.of(null, e.command(), to).messageBytes() - 1;
        List<IrcLine> out = new ArrayList<>();
        for (String line : e.bodyLines()) {
            for (String chunk : splitUtf8(line, room)) {
                out.add(IrcLine.of(src, e.command(), to, chunk).withTrailing());
            }
        }
        return out;
    }

    private List<IrcLine> numeric(Envelope e, Set<IrcCaps> caps) {
        boolean multiPrefix = caps.contains(IrcCaps.MULTI_PREFIX);
        List<String> params = new ArrayList<>();
        params.add(e.to() == null ? "*" : IrcNicks.toIrc(e.to()));
        boolean aboutChannel = e.command().equals("403"); // its parameter is a channel name as typed, never a nick
        for (String p : e.params()) {
            // an empty middle parameter cannot be written on IRC (696 for "MODE #c +l :"): shown as *
            params.add(p.isEmpty() ? "*" : aboutChannel ? p : IrcNicks.toIrc(p));
        }
        switch (e.command()) {
            case "352" -> {
                if (!multiPrefix && params.size() > 6) {
                    params.set(6, highestPrefixFlags(params.get(6)));
                }
            }
            case "005" -> {
                if (params.stream().anyMatch(p -> p.startsWith("NETWORK="))) {
                    params.add(IrcNicks.ISUPPORT_TOKEN);
                }
            }
            case "320" -> {
                if (ANSWERED_ELSEWHERE.contains(e.firstLine())) {
                    return List.of();
                }
            }
            default -> { }
        }
        List<String> body = e.bodyLines();
        if (body.isEmpty()) {
            return List.of(IrcLine.of(source(e.from()), e.command(), params));
        }
        List<IrcLine> out = new ArrayList<>();
        for (String line : body) {
            String text = switch (e.command()) {
                case "353" -> names(line, multiPrefix, caps.contains(IrcCaps.USERHOST_IN_NAMES));
                case "303", "352" -> IrcNicks.wordsToIrc(line);
                case "302" -> userhosts(line);
                case "319" -> multiPrefix ? line : trimEach(line, "#");
                default -> line;
            };
            out.add(IrcLine.of(source(e.from()), e.command(), concat(params, List.of(text))).withTrailing());
        }
        return out;
    }

    private IrcLine withOptionalText(Envelope e, List<String> middle) {
        String text = e.firstLine();
        IrcLine line = IrcLine.of(source(e.from()), e.command(), text == null ? middle : concat(middle, List.of(text)));
        return text == null ? line : line.withTrailing();
    }

    private IrcLine generic(Envelope e) {
        List<String> params = new ArrayList<>();
        if (e.to() != null) {
            params.add(IrcNicks.toIrc(e.to()));
        }
        params.addAll(translated(e.params()));
        String text = e.bodyLines().isEmpty() ? null : String.join(" ", e.bodyLines());
        if (text != null) {
            params.add(text);
        }
        IrcLine line = IrcLine.of(source(e.from()), e.command(), params);
        return text == null ? line : line.withTrailing();
    }

    /**
     * 353 words: remote nicks translated, prefixes cut to the highest without multi-prefix, and with
     * userhost-in-names each nick as the {@code nick!user@host} of its prefixes.
     */
    private String names(String line, boolean multiPrefix, boolean userhosts) {
        String translated = IrcNicks.wordsToIrc(line);
        String names = multiPrefix ? translated : trimEach(translated, null);
        if (!userhosts || names.isEmpty()) {
            return names;
        }
        String[] core = line.split(" ", -1);
        String[] words = names.split(" ", -1);
        for (int i = 0; i < words.length && i < core.length; i++) {
            String coreName = core[i].replaceFirst("^[@+]+", "");
            String prefixes = words[i].substring(0, words[i].length() - IrcNicks.toIrc(coreName).length());
            words[i] = prefixes + source(coreName);
        }
        return String.join(" ", words);
    }

    /** Keeps only the first of the leading {@code @+} prefixes of each word (before {@code stop}, if given). */
    private static String trimEach(String line, String stop) {
        String[] words = line.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            int k = 0;
            while (k < w.length() && (w.charAt(k) == '@' || w.charAt(k) == '+')) {
                k++;
            }
            if (k > 1 && (stop == null || w.startsWith(stop, k))) {
                words[i] = w.charAt(0) + w.substring(k);
            }
        }
        return String.join(" ", words);
    }

    /** WHO flags {@code H@+} → {@code H@}. */
    private static String highestPrefixFlags(String flags) {
        int at = flags.indexOf('@');
        int plus = flags.indexOf('+');
        return at >= 0 && plus >= 0 ? flags.replace("+", "") : flags;
    }

    /** 302 entries {@code bob@beta=+bob@beta}: the nick before {@code =} translated. */
    private static String userhosts(String line) {
        String[] words = line.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq > 0) {
                words[i] = IrcNicks.toIrc(words[i].substring(0, eq)) + words[i].substring(eq);
            }
        }
        return String.join(" ", words);
    }

    private static List<String> translated(List<String> params) {
        return params.stream().map(IrcNicks::toIrc).toList();
    }

    private static String firstOr(Envelope e, String fallback) {
        String first = e.firstLine();
        return first == null ? fallback : first;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    static boolean isNumeric(String command) {
        return command.length() == 3 && Character.isDigit(command.charAt(0)) && Character.isDigit(command.charAt(1))
                && Character.isDigit(command.charAt(2));
    }

    /** Splits text into pieces of at most {@code maxBytes} UTF-8 bytes, never inside a character. */
    static List<String> splitUtf8(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes || maxBytes < 4) {
            return List.of(text);
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                out.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        out.add(text.substring(start));
        return out;
    }
}
