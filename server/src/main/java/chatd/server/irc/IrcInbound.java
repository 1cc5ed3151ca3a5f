package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * IRC line → core envelopes (SPEC §2 mapping: first parameter is {@code to}, further middle parameters
 * are {@code params}, text is {@code body}). IRC does not distinguish a trailing parameter from a middle
 * one, so which parameter is text is decided per verb here. Remote nicks ({@code bob/beta}) become
 * {@code bob@beta}. No semantics: the core validates and answers with numerics.
 */
final class IrcInbound {
    /** The {@code meta} field that carries client-only message tags. */
    static final String CLIENT_TAGS = "tags";

    private IrcInbound() {}

    /**
     * The envelopes for one registered-state line. PRIVMSG/NOTICE to several targets and KICK of several
     * nicks become one envelope each, so each message has its own id (the gateway recognises its echo by it).
     */
    static List<Envelope> translate(IrcLine line) {
        String verb = line.command();
        List<String> p = line.params();
        return switch (verb) {
            case "PRIVMSG", "NOTICE", "TAGMSG" -> messages(verb, p, clientTags(line.tags()));
            case "JOIN" -> List.of(envelope(verb, p0(p), p.size() > 1 ? List.of(p.get(1)) : List.of(), null));
            case "PART", "TOPIC" -> List.of(envelope(verb, p0(p), List.of(), p.size() > 1 ? p.get(1) : null));
            case "KICK" -> kicks(p);
            case "INVITE" -> List.of(envelope(verb, IrcNicks.toCore(p0(p)), p.size() > 1 ? List.of(p.get(1)) : List.of(), null));
            case "MODE" -> List.of(envelope(verb, IrcNicks.toCore(p0(p)), rest(p).stream().map(IrcNicks::toCore).toList(), null));
            case "NICK" -> List.of(envelope(verb, null, List.of(), p0(p)));
            case "AWAY" -> List.of(envelope(verb, null, List.of(), p.isEmpty() || p.getFirst().isEmpty() ? null : p.getFirst()));
            case "WHOIS" -> List.of(envelope(verb, IrcNicks.toCore(p.isEmpty() ? null : p.getLast()), List.of(), null));
            case "WHO" -> List.of(envelope(verb, IrcNicks.toCore(p0(p)), rest(p), null));
            case "WALLOPS" -> List.of(envelope(verb, null, List.of(), p0(p)));
            case "ISON", "USERHOST" -> List.of(envelope(verb, null, words(p), null));
            default -> List.of(envelope(verb, p0(p), rest(p), null));
        };
    }

    private static List<Envelope> messages(String verb, List<String> p, ObjectNode meta) {
        String text = p.size() > 1 && !verb.equals("TAGMSG") ? p.get(1) : null;
        if (p.isEmpty()) {
            return List.of(envelope(verb, null, List.of(), text));
        }
        List<Envelope> out = new ArrayList<>();
        for (String target : p.getFirst().split(",")) {
            if (!target.isEmpty()) {
                Envelope e = envelope(verb, IrcNicks.toCore(target), List.of(), text);
                out.add(new Envelope(UUID.randomUUID().toString(), null, e.command(), null, e.to(), e.params(), e.body(),
                        null, meta));
            }
        }
        return out;
    }

    /**
     * IRCv3 client-only tags ({@code +typing=active}, {@code +draft/reply=...}) as {@code meta.tags}, the
     * form HTTP clients use too; null when there are none. Other tags a client sends are not its to set.
     */
    static ObjectNode clientTags(Map<String, String> tags) {
        ObjectNode clientOnly = null;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().startsWith("+")) {
                if (clientOnly == null) {
                    clientOnly = Json.MAPPER.createObjectNode();
                }
                clientOnly.put(tag.getKey(), tag.getValue());
            }
        }
        if (clientOnly == null) {
            return null;
        }
        ObjectNode meta = Json.MAPPER.createObjectNode();
        meta.set(CLIENT_TAGS, clientOnly);
        return meta;
    }

    /** KICK #chan nick{,nick} or #a,#b nick1,nick2 (channel and nick in pairs), one envelope per nick. */
    private static List<Envelope> kicks(List<String> p) {
        if (p.size() < 2) {
            return List.of(envelope("KICK", p0(p), List.of(), null));
        }
        String reason = p.size() > 2 ? p.get(2) : null;
        String[] channels = p.getFirst().split(",");
        String[] nicks = p.get(1).split(",");
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < nicks.length; i++) {
            String channel = channels.length == nicks.length ? channels[i] : channels[0];
            out.add(envelope("KICK", channel, List.of(IrcNicks.toCore(nicks[i])), reason));
        }
        return out;
    }

    private static List<String> words(List<String> p) {
        List<String> out = new ArrayList<>();
        for (String part : p) {
            for (String w : part.split(" ")) {
                if (!w.isEmpty()) {
                    out.add(IrcNicks.toCore(w));
                }
            }
        }
        return out;
    }

    private static Envelope envelope(String verb, String to, List<String> params, String text) {
        return Envelope.of(verb, null, to, params, text == null ? null : List.of(text));
    }

    private static String p0(List<String> p) {
        return p.isEmpty() ? null : p.getFirst();
    }

    private static List<String> rest(List<String> p) {
        return p.size() <= 1 ? List.of() : p.subList(1, p.size());
    }
}
