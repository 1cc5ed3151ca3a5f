package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.core.Channel;
import chatd.server.core.Membership;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * IRCv3 invite-notify: the channel's operators — those who may invite into a {@code +i} channel — see an
 * INVITE made by someone else, flagged {@code meta.notify}. Its {@code to} is the invitee, not them: an
 * IRC client gets it only with the capability, and the HTTP clients show it as "alice invited bob".
 * Local operators only: an invite names a local user, and it is not relayed to linked servers.
 */
public final class InviteNotify {
    /** The {@code meta} flag of an INVITE delivered to someone other than the invitee. */
    public static final String FLAG = "notify";

    private InviteNotify() {}

    static void tellOperators(CommandContext ctx, Channel channel, Envelope invite) {
        List<Mutation.Recipient> operators = new ArrayList<>();
        for (Membership m : channel.members()) {
            if (m.op() && m.member() instanceof Session s && s != ctx.session()) {
                operators.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        if (operators.isEmpty()) {
            return;
        }
        ObjectNode meta = Json.MAPPER.createObjectNode().put(FLAG, true);
        ctx.changes().deliver(new Envelope(null, null, invite.command(), invite.from(), invite.to(), invite.params(),
                invite.body(), null, meta), null, operators);
    }
}
