package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChannelRules;
import chatd.server.core.Lifecycle;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;

/** PRIVMSG, NOTICE and PUBKEY: text and keys to channels and users. */
final class MessageCommands {

    /** PRIVMSG &lt;target&gt;{,&lt;target&gt;} :&lt;text&gt; — to a channel's members or a user (both sides). */
    void privmsg(CommandContext ctx) {
        send(ctx, false);
    }

    /** NOTICE &lt;target&gt; :&lt;text&gt; — as PRIVMSG, but never answered automatically (no 301, no errors). */
    void notice(CommandContext ctx) {
        send(ctx, true);
    }

    private void send(CommandContext ctx, boolean notice) {
        Envelope msg = ctx.message();
        List<String> lines = msg.bodyLines();
        if (lines.isEmpty() || lines.stream().allMatch(String::isEmpty)) {
            if (!notice) {
                ctx.reply(Numeric.ERR_NOTEXTTOSEND, "No text to send");
            }
            return;
        }
        for (String target : msg.to().split(",")) {
            if (Names.isChannel(target)) {
                toChannel(ctx, target, notice);
            } else {
                toUser(ctx, target, notice);
            }
        }
    }

    private void toChannel(CommandContext ctx, String target, boolean notice) {
        Channel channel = ctx.state().channel(target);
        if (channel == null) {
            if (!notice) {
                ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", target);
            }
            return;
        }
        ChannelRules.Refusal refusal = ChannelRules.speak(ctx.state(), channel, ctx.session());
        if (refusal != null) {
            if (!notice) {
                ChannelCommands.refused(ctx, refusal);
            }
            return;
        }
        Envelope out = copy(ctx, channel.name());
        ctx.changes().created(ctx.changes().toChannel(channel, out));
    }

    private void toUser(CommandContext ctx, String target, boolean notice) {
        Names.UserAddress address = Names.parseUser(target);
        Changes changes = ctx.changes();
        if (address.isRemote() && !address.server().equals(ctx.state().serverName())) {
            Envelope out = copy(ctx, address.toString());
            Envelope stamped = changes.toSession(ctx.session(), out, Changes.dmKey(ctx.nick(), address.toString()));
            if (!ctx.state().relay().directMessage(address.server(), stamped, changes)) {
                if (!notice) {
                    ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", target);
                }
                return;
            }
            changes.created(stamped);
            return;
        }
        Session recipient = ctx.state().sessionByNick(address.nick());
        if (recipient == null) {
            if (!notice) {
                ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", target);
            }
            return;
        }
        List<Mutation.Recipient> both = new ArrayList<>(2);
        both.add(new Mutation.Recipient(recipient.id(), 0));
        if (recipient != ctx.session()) {
            both.add(new Mutation.Recipient(ctx.session().id(), 0));
        }
        Envelope out = copy(ctx, recipient.nick());
        changes.created(changes.deliver(out, Changes.dmKey(ctx.nick(), recipient.nick()), both));
        if (!notice && recipient.away() != null) {
            ctx.reply(Numeric.RPL_AWAY, recipient.away(), recipient.nick());
        }
    }

    /** PUBKEY [&lt;#channel&gt;] {alg, key} — announces a client signing key; relayed untouched. */
    void pubkey(CommandContext ctx) {
        Envelope msg = ctx.message();
        if (msg.body() == null || !msg.body().isObject() || !msg.body().path("key").isTextual()) {
            ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "PUBKEY");
            return;
        }
        if (msg.to() != null && Names.isChannel(msg.to())) {
            Channel channel = ctx.state().channel(msg.to());
            if (channel == null || !channel.has(ctx.session())) {
                ctx.reply(Numeric.ERR_NOTONCHANNEL, "You're not on that channel", msg.to());
                return;
            }
            ctx.changes().created(ctx.changes().toChannel(channel, copy(ctx, channel.name())));
            return;
        }
        ctx.changes().created(Lifecycle.toNeighbours(ctx.changes(), ctx.session(), copy(ctx, "*")));
    }

    /** The user's envelope as delivered: their id (idempotency key), body and meta, from them. */
    private static Envelope copy(CommandContext ctx, String to) {
        Envelope m = ctx.message();
        return new Envelope(m.id(), null, m.command(), ctx.nick(), to, m.params(), m.body(), null, m.meta());
    }
}
