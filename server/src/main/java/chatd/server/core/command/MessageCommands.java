package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChannelRules;
import chatd.server.core.Lifecycle;
import chatd.server.core.Membership;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;

/** PRIVMSG, NOTICE and PUBKEY: text and keys to channels and users. */
final class MessageCommands {
    /** Targets of one PRIVMSG or NOTICE (ISUPPORT TARGMAX). */
    static final int MAX_TARGETS = 4;
    /** The {@code meta} flag on messages sent by a bot. */
    static final String BOT = "bot";

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
        String[] targets = msg.to().split(",");
        if (targets.length > MAX_TARGETS) {
            if (!notice) {
                ctx.reply(Numeric.ERR_TOOMANYTARGETS, "Too many recipients, at most " + MAX_TARGETS, msg.to());
            }
            return;
        }
        for (String target : targets) {
            if (Names.isChannel(target)) {
                toChannel(ctx, target, notice);
            } else if (isStatusTarget(target)) {
                toStatus(ctx, target, notice);
            } else {
                toUser(ctx, target, notice);
            }
        }
    }

    private void toChannel(CommandContext ctx, String target, boolean notice) {
        Channel channel = speakable(ctx, target, notice);
        if (channel != null) {
            ctx.changes().created(ctx.changes().toChannel(channel, copy(ctx, channel.name())));
        }
    }

    /** The channel {@code name} if the sender may speak there, else null after the refusal (none for a NOTICE). */
    private static Channel speakable(CommandContext ctx, String name, boolean notice) {
        Channel channel = ctx.state().channel(name);
        ChannelRules.Refusal refusal = channel == null ? null : ChannelRules.speak(ctx.state(), channel, ctx.session());
        if (!notice && channel == null) {
            ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", name);
        } else if (!notice && refusal != null) {
            ChannelCommands.refused(ctx, refusal);
        }
        return refusal == null ? channel : null;
    }

    /** {@code @#chan} or {@code +#chan} (ISUPPORT STATUSMSG=@+). */
    private static boolean isStatusTarget(String target) {
        return target.length() > 1 && (target.charAt(0) == '@' || target.charAt(0) == '+') && Names.isChannel(target.substring(1));
    }

    /**
     * STATUSMSG: {@code @#chan} reaches the channel's operators, {@code +#chan} its operators and voiced
     * members, on this server (the sender may be any member who can speak). Not kept in the channel's
     * history, which every member may read.
     */
    private void toStatus(CommandContext ctx, String target, boolean notice) {
        boolean opsOnly = target.charAt(0) == '@';
        Channel channel = speakable(ctx, target.substring(1), notice);
        if (channel == null) {
            return;
        }
        List<Mutation.Recipient> recipients = new ArrayList<>();
        for (Membership m : channel.members()) {
            if (m.member() instanceof Session s && (m.op() || (!opsOnly && m.voice()) || s == ctx.session())) {
                recipients.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        ctx.changes().created(ctx.changes().deliver(copy(ctx, target.charAt(0) + channel.name()), null, recipients));
    }

    private void toUser(CommandContext ctx, String target, boolean notice) {
        Names.UserAddress address = Names.parseUser(target);
        Changes changes = ctx.changes();
        if (address.isRemote() && !address.server().equals(ctx.state().serverName())) {
            Envelope out = copy(ctx, address.toString());
            Envelope stamped = changes.toSession(ctx.session(), out, Changes.dmKey(Changes.dmParty(ctx.session()), address.toString()));
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
        changes.created(changes.deliver(out, Changes.dmKey(Changes.dmParty(ctx.session()), Changes.dmParty(recipient)), both));
        if (!notice && recipient.away() != null) {
            ctx.reply(Numeric.RPL_AWAY, recipient.away(), recipient.nick());
        }
    }

    /**
     * TAGMSG &lt;target&gt; — only tags ({@code meta.tags}: typing notifications, reactions), to a channel's
     * members or a user, like a PRIVMSG without text. Ephemeral: not in history, not relayed to peers.
     */
    void tagmsg(CommandContext ctx) {
        String target = ctx.target();
        List<Mutation.Recipient> recipients = new ArrayList<>();
        String to;
        if (Names.isChannel(target)) {
            Channel channel = ctx.state().channel(target);
            if (channel == null) {
                ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", target);
                return;
            }
            ChannelRules.Refusal refusal = ChannelRules.speak(ctx.state(), channel, ctx.session());
            if (refusal != null) {
                ChannelCommands.refused(ctx, refusal);
                return;
            }
            for (Membership m : channel.members()) {
                if (m.member() instanceof Session s) {
                    recipients.add(new Mutation.Recipient(s.id(), 0));
                }
            }
            to = channel.name();
        } else {
            Session recipient = ctx.state().sessionByNick(target);
            if (recipient == null) {
                ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", target);
                return;
            }
            recipients.add(new Mutation.Recipient(recipient.id(), 0));
            if (recipient != ctx.session()) {
                recipients.add(new Mutation.Recipient(ctx.session().id(), 0));
            }
            to = recipient.nick();
        }
        ctx.changes().created(ctx.changes().deliver(copy(ctx, to), null, recipients));
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

    /**
     * The user's envelope as delivered: their id (idempotency key), body and meta, from them. A bot's
     * ({@code +B}) messages carry {@code meta.bot = true} (IRCv3 bot-mode's {@code bot} tag).
     */
    private static Envelope copy(CommandContext ctx, String to) {
        Envelope m = ctx.message();
        JsonNode meta = m.meta();
        if (ctx.session().hasMode('B')) {
            ObjectNode marked = meta instanceof ObjectNode o ? o.deepCopy() : Json.MAPPER.createObjectNode();
            marked.put(BOT, true);
            meta = marked;
        }
        return new Envelope(m.id(), null, m.command(), ctx.nick(), to, m.params(), m.body(), null, meta);
    }
}
