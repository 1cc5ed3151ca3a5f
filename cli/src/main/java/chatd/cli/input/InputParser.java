package chatd.cli.input;

import chatd.protocol.Commands;
import chatd.protocol.Envelope;
import chatd.protocol.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a typed line into an {@link Input}: slash-commands map to protocol commands (SPEC §5), plain
 * text is a PRIVMSG to the current window's target, {@code //text} sends {@code /text} literally.
 * Pure: it needs only the current window's target (null in the server window).
 */
public final class InputParser {
    /** One line per command, shown by {@code /help}; InputParserTest checks every command is listed. */
    public static final List<String> HELP = List.of(
            "/join #channel [key]          join (or create) a channel (also /j)",
            "/part [#channel] [reason]     leave a channel (default: this one)",
            "/msg nick|#channel text       send a message",
            "/notice nick|#channel text    send a notice",
            "/query nick                   open a private window",
            "/me text                      send an action",
            "/nick newnick                 change your nick",
            "/topic [#channel] [text]      show or set the topic",
            "/away [message]               mark yourself away (no message: back)",
            "/whois nick                   who is that?",
            "/names [#channel]             who is on a channel",
            "/list                         list channels",
            "/mode [target] [+-modes args] show or change modes (o v i m n s t k l b)",
            "/kick nick [reason]           remove someone from this channel (operators)",
            "/invite nick [#channel]       invite someone (default: this channel)",
            "/lusers, /motd, /ping         user counts, message of the day, check the server",
            "/quote COMMAND [args] [:text] send any command (first arg is the target)",
            "/trust nick[@server]          accept the new signing key someone now uses",
            "/key                          show your own signing key",
            "/window N                     switch to window N (also /win N, /N, Alt+N)",
            "/quit [reason]                leave chatd (Ctrl-D leaves but keeps the login)",
            "/help                         this list",
            "text                          say text in the current window",
            "Message marks: ✓ verified signature, · unsigned, ? unknown key, ✗ BAD SIGNATURE, ⚠ KEY CHANGED");

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
            case "msg", "privmsg" -> msg(Commands.PRIVMSG, "/msg", rest);
            case "notice" -> msg(Commands.NOTICE, "/notice", rest);
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
            case "mode" -> mode(rest, current);
            case "kick" -> kick(rest, current);
            case "invite" -> invite(rest, current);
            case "lusers" -> send(Commands.LUSERS, null, List.of(), null);
            case "motd" -> send(Commands.MOTD, null, List.of(), null);
            case "ping" -> send(Commands.PING, null, List.of(), null);
            case "quote", "raw" -> quote(rest);
            case "trust" -> rest.isEmpty() || rest.contains(" ")
                    ? new Input.Problem("Usage: /trust nick[@server]") : new Input.Trust(rest);
            case "key" -> new Input.ShowKey();
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

    private static Input msg(String command, String usage, String rest) {
        String[] args = rest.split(" ", 2);
        if (args.length < 2 || args[1].isBlank()) {
            return new Input.Problem("Usage: " + usage + " nick|#channel text");
        }
        return send(command, args[0], List.of(), args[1]);
    }

    /** {@code /mode +o bob} in a channel window means this channel, as in irssi. */
    private static Input mode(String rest, String current) {
        List<String> args = new ArrayList<>(List.of(rest.isEmpty() ? new String[0] : rest.split(" +")));
        String target = !args.isEmpty() && !args.getFirst().startsWith("+") && !args.getFirst().startsWith("-")
                ? args.removeFirst() : current;
        if (target == null) {
            return new Input.Problem("Usage: /mode target [+-modes args] (or /mode +-modes in a channel window)");
        }
        return send(Commands.MODE, target, args, null);
    }

    private static Input kick(String rest, String current) {
        String[] args = rest.split(" ", 2);
        if (rest.isEmpty() || !Names.isChannel(current)) {
            return new Input.Problem("Usage: /kick nick [reason] (in a channel window)");
        }
        return send(Commands.KICK, current, List.of(args[0]), args.length > 1 ? args[1] : null);
    }

    private static Input invite(String rest, String current) {
        String[] args = rest.isEmpty() ? new String[0] : rest.split(" +");
        String channel = args.length > 1 ? args[1] : current;
        if (args.length == 0 || !Names.isChannel(channel)) {
            return new Input.Problem("Usage: /invite nick [#channel]");
        }
        return send(Commands.INVITE, args[0], List.of(channel), null);
    }

    /** {@code /quote COMMAND [target] [params…] [:text]}: any command, IRC-style. */
    private static Input quote(String rest) {
        if (rest.isEmpty()) {
            return new Input.Problem("Usage: /quote COMMAND [target] [params…] [:text]");
        }
        int colon = rest.indexOf(" :");
        String text = colon >= 0 ? rest.substring(colon + 2) : null;
        List<String> words = new ArrayList<>(List.of((colon >= 0 ? rest.substring(0, colon) : rest).strip().split(" +")));
        String command = words.removeFirst().toUpperCase(Locale.ROOT);
        String target = words.isEmpty() ? null : words.removeFirst();
        return send(command, target, words, text);
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
