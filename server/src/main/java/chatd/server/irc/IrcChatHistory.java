package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import chatd.server.core.Client;
import chatd.server.core.History;
import chatd.server.core.HistoryReader;
import chatd.server.core.command.ServerTime;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * IRCv3 {@code draft/chathistory}: {@code CHATHISTORY BEFORE|AFTER|LATEST|AROUND <target> <ref> <limit>},
 * {@code BETWEEN <target> <ref> <ref> <limit>} and {@code TARGETS <timestamp> <timestamp> <limit>}, read from
 * the same history and with the same access rules as {@code GET /api/v1/history}. References are
 * {@code msgid=…}, {@code timestamp=…} or {@code *} (LATEST only). The messages (PRIVMSG and NOTICE: the
 * gateway offers no event-playback) come in a {@code chathistory} batch with their original tags; errors
 * are {@code FAIL CHATHISTORY …} and the connection goes on.
 */
final class IrcChatHistory {
    private static final String COMMAND = "CHATHISTORY";
    private static final Set<String> WITH_TARGET = Set.of("BEFORE", "AFTER", "LATEST", "AROUND", "BETWEEN");

    private final ChatCore core;
    private final IrcRenderer renderer;
    private final AtomicLong batchIds = new AtomicLong();

    IrcChatHistory(ChatCore core, IrcRenderer renderer) {
        this.core = core;
        this.renderer = renderer;
    }

    /** The reply lines to one CHATHISTORY command. */
    List<IrcLine> answer(Client client, IrcLine line, Set<IrcCaps> caps) {
        String sub = line.params().isEmpty() ? "" : line.param(0).toUpperCase(Locale.ROOT);
        try {
            if (sub.equals("TARGETS")) {
                return targets(client, line, caps);
            }
            if (!WITH_TARGET.contains(sub)) {
                return fail("INVALID_PARAMS", sub.isEmpty() ? "*" : sub, "Unknown subcommand: use BEFORE, AFTER, LATEST, AROUND, BETWEEN or TARGETS");
            }
            int arity = sub.equals("BETWEEN") ? 5 : 4;
            if (line.params().size() < arity) {
                return fail("NEED_MORE_PARAMS", sub, "Not enough parameters");
            }
            return messages(client, sub, line.params(), caps);
        } catch (Invalid e) {
            return e.lines;
        }
    }

    private List<IrcLine> messages(Client client, String sub, List<String> p, Set<IrcCaps> caps) {
        String target = p.get(1);
        History.Ref from = reference(sub, p.get(2), sub.equals("LATEST"));
        History.Ref to = sub.equals("BETWEEN") ? reference(sub, p.get(3), false) : null;
        int limit = limit(sub, p.getLast());
        History.Query query = new History.Query(History.Kind.valueOf(sub), from, to, limit, History.MESSAGES);
        List<HistoryReader.Stored> stored;
        try {
            stored = core.history(client, IrcNicks.toCore(target), query);
        } catch (ChatError e) {
            return e.kind() == ChatError.Kind.UNAVAILABLE
                    ? fail("MESSAGE_ERROR", sub, target, "Messages could not be retrieved: " + e.getMessage())
                    : fail("INVALID_TARGET", sub, target, "Messages could not be retrieved: " + e.getMessage());
        }
        List<IrcLine> lines = new ArrayList<>();
        for (HistoryReader.Stored s : stored) {
            lines.addAll(renderer.render(decode(s), caps));
        }
        return batch(caps, lines, "chathistory", target);
    }

    private List<IrcLine> targets(Client client, IrcLine line, Set<IrcCaps> caps) {
        List<String> p = line.params();
        if (p.size() < 4) {
            return fail("NEED_MORE_PARAMS", "TARGETS", "Not enough parameters");
        }
        Instant a = time("TARGETS", p.get(1));
        Instant b = time("TARGETS", p.get(2));
        int limit = limit("TARGETS", p.get(3));
        List<History.Target> found;
        try {
            found = core.historyTargets(client, a, b, limit, History.MESSAGES);
        } catch (ChatError e) {
            return fail("MESSAGE_ERROR", "TARGETS", "Targets could not be listed: " + e.getMessage());
        }
        List<IrcLine> lines = new ArrayList<>();
        for (History.Target t : found) {
            lines.add(IrcLine.of(renderer.serverName(), COMMAND, "TARGETS", IrcNicks.toIrc(t.name()), ServerTime.format(t.last())));
        }
        return batch(caps, lines, "draft/chathistory-targets");
    }

    /** The lines in a {@code BATCH} of that type, when the client has {@code batch}; bare otherwise. */
    private List<IrcLine> batch(Set<IrcCaps> caps, List<IrcLine> lines, String... type) {
        if (!caps.contains(IrcCaps.BATCH)) {
            return lines;
        }
        String id = "H" + Long.toString(batchIds.incrementAndGet(), 36);
        List<String> open = new ArrayList<>();
        open.add("+" + id);
        open.addAll(List.of(type));
        List<IrcLine> out = new ArrayList<>(lines.size() + 2);
        out.add(IrcLine.of(renderer.serverName(), "BATCH", open));
        for (IrcLine l : lines) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("batch", id);
            tags.putAll(l.tags());
            out.add(l.withTags(tags));
        }
        out.add(IrcLine.of(renderer.serverName(), "BATCH", "-" + id));
        return out;
    }

    /** {@code msgid=…}, {@code timestamp=…}, or {@code *} where allowed. */
    private History.Ref reference(String sub, String text, boolean openAllowed) {
        if (openAllowed && text.equals("*")) {
            return new History.Ref.Open();
        }
        if (text.startsWith("msgid=") && text.length() > "msgid=".length()) {
            return new History.Ref.MessageId(text.substring("msgid=".length()));
        }
        if (text.startsWith("timestamp=")) {
            return new History.Ref.Time(time(sub, text));
        }
        throw new Invalid(fail("INVALID_MSGREFTYPE", sub, text, "A reference is msgid=<id> or timestamp=<RFC 3339 time>"
                + (openAllowed ? ", or *" : "")));
    }

    private Instant time(String sub, String text) {
        Instant at = text.startsWith("timestamp=") ? ServerTime.parse(text.substring("timestamp=".length())) : null;
        if (at == null) {
            throw new Invalid(fail("INVALID_PARAMS", sub, text, "Expected timestamp=<RFC 3339 time> like timestamp=2025-01-01T10:00:00.000Z"));
        }
        return at;
    }

    /** A positive number; above the server's maximum it is lowered to it (ISUPPORT CHATHISTORY). */
    private int limit(String sub, String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 1) {
                return (int) Math.min(n, History.MAX_LIMIT);
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new Invalid(fail("INVALID_PARAMS", sub, text, "The limit must be a number from 1 to " + History.MAX_LIMIT));
    }

    private List<IrcLine> fail(String code, String... context) {
        List<String> params = new ArrayList<>();
        params.add(COMMAND);
        params.add(code);
        params.addAll(List.of(context));
        return List.of(IrcLine.of(renderer.serverName(), "FAIL", params).withTrailing());
    }

    private static Envelope decode(HistoryReader.Stored stored) {
        try {
            return Json.MAPPER.readValue(stored.json(), Envelope.class);
        } catch (IOException e) {
            throw new IllegalStateException("undecodable history entry " + stored.seq(), e);
        }
    }

    /** A parameter that ends the command with a FAIL. */
    private static final class Invalid extends RuntimeException {
        private final transient List<IrcLine> lines;

        Invalid(List<IrcLine> lines) {
            super(null, null, false, false);
            this.lines = lines;
        }
    }
}
