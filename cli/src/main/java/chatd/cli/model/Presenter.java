package chatd.cli.model;

import chatd.cli.sign.Verifier;
import chatd.protocol.Commands;
import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Applies what the server delivers to the {@link ChatModel}: routes each envelope to its window and
 * formats it as a line ({@code <bob> hello}, {@code * bob waves}, {@code -!- bob has joined #room},
 * readable numerics), each user's message marked with its signature's {@link Verifier.Verdict}.
 * No I/O of its own: time comes from {@link TimeFormat}, trust from the {@link Verifier}.
 */
public final class Presenter {
    /** Prefix of system lines, as in irssi. */
    public static final String SYSTEM = "-!- ";
    private static final String ACTION = "\u0001ACTION ";

    private final ChatModel model;
    private final TimeFormat time;
    private final Verifier verifier;

    public Presenter(ChatModel model, TimeFormat time, Verifier verifier) {
        this.model = model;
        this.time = time;
        this.verifier = verifier;
    }

    /** Shows a line of the client itself (help, usage errors, connection notes) in the current window. */
    public void note(String text) {
        model.addToCurrent(new Line(time.format(null), SYSTEM + text, Activity.SYSTEM));
    }

    /** Shows a line of the client itself in the server window. */
    public void serverNote(String text) {
        model.add(null, new Line(time.format(null), SYSTEM + text, Activity.SYSTEM));
    }

    public void apply(Envelope e) {
        String command = e.command() == null ? "" : e.command().toUpperCase(Locale.ROOT);
        if (NumericText.isNumeric(command)) {
            numeric(e);
            return;
        }
        switch (command) {
            case Commands.PRIVMSG, Commands.NOTICE -> message(e, command.equals(Commands.NOTICE));
            case Commands.JOIN -> join(e);
            case Commands.PART -> part(e);
            case Commands.QUIT -> quit(e);
            case Commands.NICK -> nick(e);
            case Commands.TOPIC -> topic(e);
            case Commands.KICK -> kick(e);
            case Commands.MODE -> mode(e);
            case Commands.INVITE -> invite(e);
            case Commands.PUBKEY -> pubkey(e);
            case Commands.PONG, Commands.PING, Commands.AWAY, Commands.TAGMSG -> { }
            default -> system(null, e, String.join(" ", nonNull(command, from(e), e.to(),
                    String.join(" ", e.params()), String.join(" ", e.bodyLines()))).trim());
        }
    }

    private void message(Envelope e, boolean notice) {
        String from = from(e);
        String to = target(e);
        boolean fromServer = isServer(e) || to == null || "*".equals(to);
        boolean mine = isMe(from);
        String window;
        if (fromServer) {
            window = null;
        } else if (Names.isChannel(to)) {
            window = to;
        } else {
            window = mine ? to : from;
        }
        // a bad or missing signature is shown, never a reason to hide the message
        Verifier.Judgement signature = fromServer ? null : verifier.judge(e);
        String mark = signature == null ? "" : signature.verdict().mark() + " ";
        for (String text : e.bodyLines()) {
            Activity level = mine ? Activity.MESSAGE
                    : window != null && !Names.isChannel(window) ? Activity.HIGHLIGHT
                    : mentionsMe(text) ? Activity.HIGHLIGHT : Activity.MESSAGE;
            String shown;
            if (text.startsWith(ACTION)) {
                shown = mark + "* " + from + " " + stripCtcp(text.substring(ACTION.length()));
            } else if (notice) {
                shown = mark + "-" + from + "- " + text;
            } else {
                shown = mark + "<" + from + "> " + text;
            }
            model.add(window, new Line(time.format(e.ts()), shown, level));
        }
        if (signature != null && signature.verdict() == Verifier.Verdict.KEY_CHANGED) {
            keyChanged(window, e, signature);
        }
    }

    /** PUBKEY: a first key is trusted quietly, a different one is a loud warning. */
    private void pubkey(Envelope e) {
        if (isMe(from(e))) {
            return;
        }
        Verifier.Judgement changed = verifier.announced(e);
        if (changed != null) {
            String to = target(e);
            keyChanged(Names.isChannel(to) && model.has(to) ? to : null, e, changed);
        }
    }

    private void keyChanged(String window, Envelope e, Verifier.Judgement changed) {
        if (verifier.warnOnce(changed)) {
            model.add(window, new Line(time.format(e.ts()), SYSTEM + "KEY CHANGED: " + changed.identity()
                    + " now signs with a key you have not trusted (" + changed.key() + "). Someone may be impersonating"
                    + " them. If they told you (a new device), accept it with /trust " + changed.identity(), Activity.HIGHLIGHT));
        }
    }

    private void join(Envelope e) {
        String channel = target(e);
        String who = from(e);
        if (isMe(who)) {
            if (!model.has(channel)) {
                model.openAndSelect(channel); // the server said yes (to this device or another one)
            }
            model.joinAnswered(channel);
        }
        model.addMembers(channel, List.of(who));
        system(channel, e, who + " has joined " + channel);
    }

    private void part(Envelope e) {
        String channel = target(e);
        String who = from(e);
        model.removeMember(channel, who);
        system(channel, e, (isMe(who) ? "You have" : who + " has") + " left " + channel + reason(e.firstLine()));
    }

    private void quit(Envelope e) {
        String who = from(e);
        for (String window : model.windowsOf(who, true)) {
            system(window, e, who + " has quit" + reason(e.firstLine()));
        }
    }

    private void nick(Envelope e) {
        String who = from(e);
        String now = first(e.bodyLines(), e.to() != null ? e.to() : e.param(0));
        if (now == null) {
            return;
        }
        List<String> windows = new ArrayList<>(model.rename(who, now));
        if (isMe(who)) {
            model.nick(now);
            windows = new ArrayList<>(model.channels()); // the user is on every channel it has a window for
            windows.addFirst(null);
            for (String window : windows) {
                system(window, e, "You're now known as " + now);
            }
            return;
        }
        for (String window : model.windowsOf(now, false)) {
            if (!windows.contains(window)) {
                windows.add(window);
            }
        }
        for (String window : windows) {
            system(window, e, who + " is now known as " + now);
        }
    }

    private void topic(Envelope e) {
        String channel = target(e);
        String text = e.firstLine() == null ? "" : e.firstLine();
        model.topic(channel, text);
        system(channel, e, from(e) + (text.isEmpty() ? " removed the topic of " + channel
                : " changed the topic of " + channel + " to: " + text));
    }

    private void kick(Envelope e) {
        String channel = target(e);
        String victim = first(e.params(), "?");
        model.removeMember(channel, victim);
        system(channel, e, (isMe(victim) ? "You were" : victim + " was") + " kicked from " + channel
                + " by " + from(e) + reason(e.firstLine()));
    }

    /** An invitation for the user; one for someone else (invite-notify: the user operates the channel) in the channel. */
    private void invite(Envelope e) {
        String channel = first(e.params(), e.firstLine());
        String invitee = target(e);
        if (invitee != null && !isMe(invitee)) {
            system(model.has(channel) ? channel : null, e, from(e) + " invited " + invitee + " to " + channel);
        } else {
            system(model.currentTarget(), e, from(e) + " invites you to " + channel);
        }
    }

    private void mode(Envelope e) {
        String to = target(e);
        String change = String.join(" ", e.params());
        system(Names.isChannel(to) ? to : null, e, "mode/" + to + " [" + change + "] by " + from(e));
    }

    private void numeric(Envelope e) {
        String text = NumericText.format(e, time);
        String code = e.command();
        String channel = NumericText.channelOf(e);
        if (code.equals(Numeric.RPL_NAMREPLY.code()) && channel != null) {
            List<String> nicks = new ArrayList<>();
            for (String name : String.join(" ", e.bodyLines()).split(" ")) {
                String nick = name.replaceFirst("^[~&@%+]+", "");
                if (!nick.isEmpty()) {
                    nicks.add(nick);
                }
            }
            if (model.has(channel)) {
                model.addMembers(channel, nicks);
            }
        }
        if (code.equals(Numeric.RPL_TOPIC.code()) && channel != null && model.has(channel)) {
            model.topic(channel, String.join(" ", e.bodyLines()));
        }
        if (text == null) {
            return;
        }
        if (NumericText.isError(code) && channel != null) {
            model.joinAnswered(channel); // a refused JOIN opens no window
        }
        Activity level = NumericText.isError(code) ? Activity.MESSAGE : Activity.SYSTEM;
        Line line = new Line(time.format(e.ts()), SYSTEM + text, level);
        if (channel != null && model.has(channel)) {
            model.add(channel, line);
        } else if (NumericText.isServerReply(code)) {
            model.add(null, line);
        } else {
            model.addToCurrent(line);
        }
    }

    private void system(String window, Envelope e, String text) {
        model.add(window, new Line(time.format(e.ts()), SYSTEM + text, Activity.SYSTEM));
    }

    /** The envelope's target: {@code to}, else {@code params[0]} (SPEC §2, be liberal). */
    private static String target(Envelope e) {
        return e.to() != null && !e.to().isEmpty() ? e.to() : e.param(0);
    }

    private static String from(Envelope e) {
        return e.from() == null ? "?" : e.from();
    }

    /** A message from a server: its {@code from} is the origin server's name, not a user. */
    private static boolean isServer(Envelope e) {
        return e.from() == null || (e.origin() != null && e.from().equals(e.origin()) && e.from().indexOf('@') < 0);
    }

    private boolean isMe(String nick) {
        String me = model.nick();
        return me != null && nick != null && Names.fold(me).equals(Names.fold(nick));
    }

    private boolean mentionsMe(String text) {
        String me = model.nick();
        return me != null && Names.fold(text).contains(Names.fold(me));
    }

    private static String stripCtcp(String text) {
        return text.endsWith("\u0001") ? text.substring(0, text.length() - 1) : text;
    }

    private static String reason(String text) {
        return text == null || text.isEmpty() ? "" : " (" + text + ")";
    }

    private static String first(List<String> values, String fallback) {
        return values.isEmpty() ? fallback : values.getFirst();
    }

    private static List<String> nonNull(String... values) {
        return Arrays.stream(values).filter(v -> v != null && !v.isEmpty()).toList();
    }
}
