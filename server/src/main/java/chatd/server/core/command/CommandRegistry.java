package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Numeric;
import chatd.server.core.Changes;
import chatd.server.core.ChatState;
import chatd.server.core.Client;
import chatd.server.core.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dispatch table: verb → {@link CommandSpec}, and the single place where preconditions are checked
 * (unknown verb → 421, missing target → 461) before a handler runs. Every transport (HTTP, IRC gateway)
 * executes commands here, so they behave the same everywhere.
 */
public final class CommandRegistry {
    private final Map<String, CommandSpec> specs = new HashMap<>();
    private final ServerReplies replies;

    public CommandRegistry(ServerReplies replies, Operators operators) {
        this.replies = replies;
        OperatorCommands operatorCommands = new OperatorCommands(operators);
        MessageCommands messages = new MessageCommands();
        ChannelCommands channels = new ChannelCommands();
        UserCommands users = new UserCommands();
        QueryCommands queries = new QueryCommands();
        ModeCommands modes = new ModeCommands();
        add("PRIVMSG", true, messages::privmsg);
        add("NOTICE", true, messages::notice);
        add("TAGMSG", true, messages::tagmsg);
        add("PUBKEY", false, messages::pubkey);
        add("JOIN", true, channels::join);
        add("PART", true, channels::part);
        add("TOPIC", true, channels::topic);
        add("KICK", true, channels::kick);
        add("INVITE", false, channels::invite);
        add("NAMES", false, channels::names);
        add("LIST", false, channels::list);
        add("MODE", true, modes::mode);
        add("NICK", false, users::nick);
        add("AWAY", false, users::away);
        add("SETNAME", false, users::setname);
        add("QUIT", false, users::quit);
        add("PING", false, users::ping);
        add("WHO", false, queries::who);
        add("WHOIS", true, queries::whois);
        add("WHOWAS", true, queries::whowas);
        add("OPER", true, operatorCommands::oper);
        add("KILL", true, operatorCommands::kill);
        add("WALLOPS", false, operatorCommands::wallops);
        add("LUSERS", false, queries::lusers);
        add("MOTD", false, queries::motd);
        add("ISON", true, queries::ison);
        add("USERHOST", true, queries::userhost);
        add("VERSION", false, queries::version);
        add("TIME", false, queries::time);
        add("INFO", false, queries::info);
        add("LINKS", false, queries::links);
        add("HELP", false, queries::help);
        add("HELPOP", false, queries::help);
        add("MONITOR", true, new MonitorCommands()::monitor);
        add("MARKREAD", false, new ReadMarkerCommands()::markread);
    }

    private void add(String verb, boolean needsTarget, CommandHandler handler) {
        specs.put(verb, new CommandSpec(verb, needsTarget, handler));
    }

    public ServerReplies replies() {
        return replies;
    }

    public boolean knows(String verb) {
        return specs.containsKey(verb.toUpperCase(Locale.ROOT));
    }

    /** Runs one command under the state lock, recording its effects into {@code changes}. */
    public void execute(ChatState state, Changes changes, Client client, Envelope raw, Limits limits) {
        Envelope message = normalise(raw);
        CommandContext ctx = new CommandContext(state, changes, client, message, limits, this);
        CommandSpec spec = specs.get(message.command());
        if (spec == null) {
            ctx.reply(Numeric.ERR_UNKNOWNCOMMAND, "Unknown command", message.command());
            return;
        }
        if (spec.needsTarget() && (message.to() == null || message.to().isEmpty())) {
            if (message.command().equals("PRIVMSG") || message.command().equals("NOTICE")) {
                ctx.reply(Numeric.ERR_NORECIPIENT, "No recipient given (" + message.command() + ")");
            } else {
                ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", message.command());
            }
            return;
        }
        client.session().active(changes.nowMillis());
        spec.handler().handle(ctx);
    }

    /**
     * Be liberal in what we accept (SPEC §2): upper-case verb; when {@code to} is absent, the first
     * parameter is the target.
     */
    static Envelope normalise(Envelope e) {
        String command = e.command().toUpperCase(Locale.ROOT);
        String to = e.to();
        List<String> params = e.params();
        if ((to == null || to.isEmpty()) && !params.isEmpty()) {
            to = params.getFirst();
            params = new ArrayList<>(params.subList(1, params.size()));
        }
        return new Envelope(e.id(), e.ts(), command, e.from(), to, params, e.body(), e.origin(), e.meta());
    }
}
