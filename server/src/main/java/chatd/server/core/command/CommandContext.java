package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Numeric;
import chatd.server.core.Changes;
import chatd.server.core.ChatState;
import chatd.server.core.Client;
import chatd.server.core.Limits;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a handler works with: the issuing client and its session, the normalised envelope, the state,
 * and the {@link Changes} it records into. Replies to the issuer go through {@link #reply}; fan-out to
 * others goes through {@link Changes}.
 */
public final class CommandContext {
    private final ChatState state;
    private final Changes changes;
    private final Client client;
    private final Envelope message;
    private final Limits limits;
    private final CommandRegistry commands;

    CommandContext(ChatState state, Changes changes, Client client, Envelope message, Limits limits, CommandRegistry commands) {
        this.state = state;
        this.changes = changes;
        this.client = client;
        this.message = message;
        this.limits = limits;
        this.commands = commands;
    }

    public ChatState state() {
        return state;
    }

    public Changes changes() {
        return changes;
    }

    public Client client() {
        return client;
    }

    public Session session() {
        return client.session();
    }

    public String nick() {
        return client.session().nick();
    }

    public Envelope message() {
        return message;
    }

    public String target() {
        return message.to();
    }

    public Limits limits() {
        return limits;
    }

    public ServerReplies replies() {
        return commands.replies();
    }

    /** Sends a numeric to the issuing client: middle params, then the trailing text as the body. */
    public void reply(Numeric numeric, String text, String... params) {
        changes.toClient(client, numeric(numeric, nick(), text, params));
    }

    /** A numeric envelope from this server to {@code to}. */
    public Envelope numeric(Numeric numeric, String to, String text, String... params) {
        List<String> lines = text == null ? null : List.of(text);
        return Envelope.of(numeric.code(), state.serverName(), to, new ArrayList<>(Arrays.asList(params)), lines);
    }

    /** An envelope from the issuing user. */
    public Envelope fromUser(String command, String to, List<String> params, List<String> lines) {
        return Envelope.of(command, nick(), to, params, lines);
    }
}
