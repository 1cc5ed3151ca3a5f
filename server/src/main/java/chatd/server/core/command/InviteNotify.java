package chatd.server.core.command;

import chatd.protocol.Json;
import chatd.server.core.Channel;
import chatd.server.core.Membership;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * IRCv3 invite-notify: a channel's operators (other than the inviter) see the INVITE too, flagged
 * {@code meta.notify}, so a transport shows it only to clients that asked.
 */
final class InviteNotify {
    /** The {@code meta} flag of an INVITE delivered to a third party. */
    static final String FLAG = "notify";

    private InviteNotify() {}

    static void tellOperators(CommandContext ctx, Channel channel, Session invitee) {
        if (channel == null) {
            return;
        }
        List<Mutation.Recipient> operators = new ArrayList<>();
        for (Membership m : channel.members()) {
            if (m.op() && m.member() instanceof Session s && s != ctx.session() && s != invitee) {
                operators.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        if (!operators.isEmpty()) {
            ObjectNode meta = Json.MAPPER.createObjectNode();
            meta.put(FLAG, true);
            var invite = ctx.fromUser("INVITE", invitee.nick(), List.of(channel.name()), null);
            ctx.changes().deliver(new chatd.protocol.Envelope(null, null, invite.command(), invite.from(), invite.to(),
                    invite.params(), invite.body(), null, meta), null, operators);
        }
    }
}
