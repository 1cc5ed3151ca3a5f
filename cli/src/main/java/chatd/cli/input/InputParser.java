package chatd.cli.input;

import chatd.protocol.Commands;
import chatd.protocol.Envelope;
import chatd.protocol.Names;
import java.util.List;
import java.util.Locale;

/**
 * Turns a typed line into an {@link Input}: slash-commands map to protocol commands (SPEC §5), plain
 * text is a PRIVMSG to the current window's target, {@code //text} sends {@code /text} literally.
 * Pure: it needs only the current window's target (null in the server window).
 */
public final class InputParser {
    /** One line per command, shown by {@code /help}. */
    public static final List<String> HELP = List.of(
            "/join #channel [key]        join (or create) a channel",
            "/part [#channel] [reason]   leave a channel (default: this one)",
            "/msg nick|#channel text     send a message",
            "/query nick                 open a private window",
            "/me text                    send an action",
            "/nick newnick               change your nick",
            "/topic [#channel] [text]    show or set the topic",
            "/away [message]             mark yourself away (no message: back)",
            "/whois nick                 who is that?",
            "/names [#channel]           who is on a channel",
            "/list                       list channels",
            "/window N                   switch to window N (also /win N, /N)",
            "/quit [reason]              leave chatd (Ctrl-D leaves but keeps the login)",
            "/help                       this list",
            "text                        say text in the current window");

    private InputParser() {}

    public static Input parse(String line, String current) {
        if (line == null || line.isBlank()) {
            return new Input.Nothing();
        }
        if (!line.startsWith("/") || line.startsWith("//")) {
            return say(current, line.startsWith("//") ? line.substring(1) : line);
        }
        String[] head = line.substring(1).split(" ", 2);
        String verb = head[0].toLowerCase(Locale.ROOT);
        String rest = head.length > 1 ? head[1].strip() : "";
        if (verb.chars().allMatch(Character::isDigit) && !verb.isEmpty()) {
            return select(verb);
        }
        return switch (verb) {
            case "join", "j" -> join(rest);
            case "part", "leave" -> part(rest, current);
            case "msg", "privmsg" -> msg(rest);
            case "query", "q" -> rest.isEmpty() || rest.contains(" ")
                    ? new Input.Problem("Usage: /query nick") : new Input.Query(rest);
            case "me" -> me(rest, current);
            case "nick" -> rest.isEmpty() || rest.contains(" ")
                    ? new Input.Problem("Usage: /nick newnick")
                    : send(Commands.NICK, null, List.of(), rest);
            case "topic" -> topic(rest, current);
            case "away" -> rest.isEmpty() ? send(Commands.AWAY, null, List.of(), null)
                    : send(Commands.AWAY, null, List.of(), rest);
            case "whois" -> rest.isEmpty() ? new Input.Problem("Usage: /whois nick")
                    : send(Commands.WHOIS, rest.split(" ")[0], List.of(), null);
            case "names" -> names(rest, current);
            case "list" -> send(Commands.LIST, rest.isEmpty() ? null : rest.split(" ")[0], List.of(), null);
            case "window", "win", "w" -> select(rest);
            case "quit", "exit" -> new Input.Quit(envelope(Commands.QUIT, null, List.of(), rest.isEmpty() ? null : rest));
            case "help", "?" -> new Input.Help();
            default -> new Input.Problem("Unknown command: /" + head[0] + " (try /help)");
        };
    }

    private static Input say(String current, String text) {
        if (current == null) {
            return new Input.Problem("You are in the server window: /join #channel or /msg nick text");
        }
        return send(Commands.PRIVMSG, current, List.of(), text);
    }

    private static Input join(String rest) {
        if (rest.isEmpty()) {
            return new Input.Problem("Usage: /join #channel [key]");
        }
        String[] args = rest.split(" +");
        String channel = args[0].startsWith("#") ? args[0] : "#" + args[0];
        if (!Names.isValidChannel(channel)) {
            return new Input.Problem("Not a channel name: " + args[0]);
        }
        return send(Commands.JOIN, channel, args.length > 1 ? List.of(args[1]) : List.of(), null);
    }

    private static Input part(String rest, String current) {
        String[] args = rest.split(" ", 2);
        if (!rest.isEmpty() && Names.isChannel(args[0])) {
            return send(Commands.PART, args[0], List.of(), args.length > 1 ? args[1] : null);
        }
        if (!Names.isChannel(current)) {
            return new Input.Problem("Usage: /part #channel [reason] (or /part in a channel window)");
        }
        return send(Commands.PART, current, List.of(), rest.isEmpty() ? null : rest);
    }

    private static Input msg(String rest) {
        String[] args = rest.split(" ", 2);
        if (args.length < 2 || args[1].isBlank()) {
            return new Input.Problem("Usage: /msg nick|#channel text");
        }
        return send(Commands.PRIVMSG, args[0], List.of(), args[1]);
    }

    private static Input me(String rest, String current) {
        if (current == null) {
            return new Input.Problem("/me needs a channel or private window");
        }
        if (rest.isEmpty()) {
            return new Input.Problem("Usage: /me text");
        }
        return send(Commands.PRIVMSG, current, List.of(), "\u0001ACTION " + rest + "\u0001");
    }

    private static Input topic(String rest, String current) {
        String[] args = rest.split(" ", 2);
        if (!rest.isEmpty() && Names.isChannel(args[0])) {
            return send(Commands.TOPIC, args[0], List.of(), args.length > 1 ? args[1] : null);
        }
        if (!Names.isChannel(current)) {
            return new Input.Problem("Usage: /topic #channel [text] (or /topic [text] in a channel window)");
        }
        return send(Commands.TOPIC, current, List.of(), rest.isEmpty() ? null : rest);
    }

    private static Input names(String rest, String current) {
        String channel = rest.isEmpty() ? current : rest.split(" ")[0];
        if (!Names.isChannel(channel)) {
            return new Input.Problem("Usage: /names #channel (or /names in a channel window)");
        }
        return send(Commands.NAMES, channel, List.of(), null);
    }

    private static Input select(String number) {
        try {
            return new Input.Select(Integer.parseInt(number.strip()));
        } catch (NumberFormatException e) {
            return new Input.Problem("Usage: /window N");
        }
    }

    private static Input send(String command, String to, List<String> params, String text) {
        return new Input.Send(envelope(command, to, params, text));
    }

    private static Envelope envelope(String command, String to, List<String> params, String text) {
        return Envelope.of(command, null, to, params, text == null ? null : List.of(text));
    }
}
