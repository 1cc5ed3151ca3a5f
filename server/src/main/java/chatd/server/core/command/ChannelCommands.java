package chatd.server.core.command;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChannelRules;
import chatd.server.core.Lifecycle;
import chatd.server.core.Member;
import chatd.server.core.Membership;
import chatd.server.core.Mutation;
import chatd.server.core.Session;
import java.util.List;

/** JOIN, PART, TOPIC, KICK, INVITE, NAMES and LIST. */
final class ChannelCommands {

    /** JOIN &lt;channel&gt;{,&lt;channel&gt;} [&lt;key&gt;{,&lt;key&gt;}] */
    void join(CommandContext ctx) {
        String[] names = ctx.target().split(",");
        String[] keys = ctx.message().param(0) == null ? new String[0] : ctx.message().param(0).split(",");
        for (int i = 0; i < names.length; i++) {
            join(ctx, names[i], i < keys.length ? keys[i] : null);
        }
    }

    private void join(CommandContext ctx, String name, String key) {
        if (!Names.isValidChannel(name)) {
            ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", name);
            return;
        }
        Session session = ctx.session();
        Channel channel = ctx.state().channel(name);
        if (channel != null && channel.has(session)) {
            return;
        }
        if (session.channels().size() >= ctx.limits().maxChannelsPerUser()) {
            ctx.reply(Numeric.ERR_TOOMANYCHANNELS, "You have joined too many channels", name);
            return;
        }
        Changes changes = ctx.changes();
        boolean created = channel == null;
        if (created) {
            channel = new Channel(name, changes.nowMillis());
            ctx.state().addChannel(channel);
        } else if (refused(ctx, ChannelRules.join(ctx.state(), channel, session, key, ChannelRules.JoinPath.LOCAL))) {
            return;
        }
        Membership membership = channel.add(session, created);
        session.channels().add(channel);
        if (created) {
            changes.persist(Lifecycle.saveChannel(channel));
        }
        changes.persist(new Mutation.SaveMembership(channel.foldedName(), session.id(), membership.modes()));
        changes.toChannel(channel, ctx.fromUser("JOIN", channel.name(), List.of(), null));
        UserCommands.announceAwayOnJoin(ctx, channel);
        ServerReplies replies = ctx.replies();
        replies.topic(ctx.state(), changes, ctx.client(), channel, false);
        replies.names(ctx.state(), changes, ctx.client(), channel);
    }

    /** Replies a refusal of the rule book with its numeric; answers whether there was one. */
    static boolean refused(CommandContext ctx, ChannelRules.Refusal refusal) {
        if (refusal == null) {
            return false;
        }
        ctx.reply(refusal.reason().numeric(), refusal.reason().text(), refusal.params().toArray(String[]::new));
        return true;
    }

    /** PART &lt;channel&gt;{,&lt;channel&gt;} [:&lt;reason&gt;] */
    void part(CommandContext ctx) {
        for (String name : ctx.target().split(",")) {
            Channel channel = ctx.state().channel(name);
            if (channel == null) {
                ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", name);
                continue;
            }
            if (refused(ctx, ChannelRules.part(channel, ctx.session()))) {
                continue;
            }
            String reason = ctx.message().firstLine();
            ctx.changes().toChannel(channel, ctx.fromUser("PART", channel.name(), List.of(),
                    reason == null ? null : List.of(reason)));
            Lifecycle.leave(ctx.state(), ctx.changes(), channel, ctx.session());
        }
    }

    /** TOPIC &lt;channel&gt; [:&lt;topic&gt;] — query (332/333 or 331) or set (+t needs op). */
    void topic(CommandContext ctx) {
        Channel channel = ctx.state().channel(ctx.target());
        if (channel == null) {
            ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", ctx.target());
            return;
        }
        Membership me = channel.membership(ctx.session());
        if (ctx.message().body() == null || !ctx.message().body().isArray() || ctx.message().body().isEmpty()) {
            if (channel.secret() && me == null) {
                ctx.reply(Numeric.ERR_NOTONCHANNEL, "You're not on that channel", channel.name());
                return;
            }
            ctx.replies().topic(ctx.state(), ctx.changes(), ctx.client(), channel, true);
            return;
        }
        if (refused(ctx, ChannelRules.topic(channel, ctx.session()))) {
            return;
        }
        String text = ChannelRules.topicText(String.join(" ", ctx.message().bodyLines()));
        channel.topic(text, ctx.nick(), ctx.changes().nowMillis());
        ctx.changes().persist(Lifecycle.saveChannel(channel));
        ctx.changes().created(ctx.changes().toChannel(channel, ctx.fromUser("TOPIC", channel.name(), List.of(), List.of(text))));
    }

    /** KICK &lt;channel&gt; &lt;nick&gt; [:&lt;reason&gt;] — operators only. */
    void kick(CommandContext ctx) {
        Channel channel = ctx.state().channel(ctx.target());
        String victim = ctx.message().param(0);
        if (victim == null) {
            ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "KICK");
            return;
        }
        if (channel == null) {
            ctx.reply(Numeric.ERR_NOSUCHCHANNEL, "No such channel", ctx.target());
            return;
        }
        if (refused(ctx, ChannelRules.kick(channel, ctx.session(), victim))) {
            return;
        }
        Membership target = channel.membership(victim);
        String reason = ctx.message().firstLine();
        Member kicked = target.member();
        ctx.changes().toChannel(channel, ctx.fromUser("KICK", channel.name(), List.of(kicked.displayName()),
                List.of(reason == null ? ctx.nick() : reason)));
        if (kicked instanceof Session s) {
            Lifecycle.leave(ctx.state(), ctx.changes(), channel, s);
        } else {
            channel.remove(kicked);
            Lifecycle.dropIfEmpty(ctx.state(), ctx.changes(), channel);
        }
    }

    /** INVITE &lt;nick&gt; &lt;channel&gt; — 341 to the inviter, INVITE to the invitee; passes +i. Alone: 336/337. */
    void invite(CommandContext ctx) {
        String channelName = ctx.message().param(0);
        boolean noTarget = ctx.target() == null || ctx.target().isEmpty();
        if (noTarget && channelName == null) {
            pendingInvitations(ctx);
            return;
        }
        if (noTarget || channelName == null) {
            ctx.reply(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters", "INVITE");
            return;
        }
        Session invitee = ctx.state().sessionByNick(ctx.target());
        if (invitee == null) {
            ctx.reply(Numeric.ERR_NOSUCHNICK, "No such nick/channel", ctx.target());
            return;
        }
        Channel channel = ctx.state().channel(channelName);
        if (channel != null) {
            Membership me = channel.membership(ctx.session());
            if (me == null) {
                ctx.reply(Numeric.ERR_NOTONCHANNEL, "You're not on that channel", channel.name());
                return;
            }
            if (channel.flag('i') && !me.op()) {
                ctx.reply(Numeric.ERR_CHANOPRIVSNEEDED, "You're not channel operator", channel.name());
                return;
            }
            if (channel.has(invitee)) {
                ctx.reply(Numeric.ERR_USERONCHANNEL, "is already on channel", invitee.nick(), channel.name());
                return;
            }
            channel.invite(invitee.nick());
            channelName = channel.name();
        }
        ctx.reply(Numeric.RPL_INVITING, null, invitee.nick(), channelName);
        Envelope invite = ctx.fromUser("INVITE", invitee.nick(), List.of(channelName), null);
        ctx.changes().toSession(invitee, invite, null);
        if (channel != null) {
            InviteNotify.tellOperators(ctx, channel, invite);
        }
    }

    /** INVITE without parameters: the channels the user is invited to and has not joined yet (336), then 337. */
    private static void pendingInvitations(CommandContext ctx) {
        for (Channel channel : ctx.state().channels()) {
            if (channel.isInvited(ctx.session())) {
                ctx.reply(Numeric.RPL_INVITELIST, null, channel.name());
            }
        }
        ctx.reply(Numeric.RPL_ENDOFINVITELIST, "End of /INVITE list");
    }

    /** NAMES [&lt;channel&gt;] — 353/366; secret channels only for members. */
    void names(CommandContext ctx) {
        if (ctx.target() == null || ctx.target().isEmpty()) {
            for (Channel channel : ctx.session().channels()) {
                ctx.replies().names(ctx.state(), ctx.changes(), ctx.client(), channel);
            }
            return;
        }
        // several channels: their 353s, then one 366 for the whole list (RFC 2812 §3.2.5)
        for (String name : ctx.target().split(",")) {
            Channel channel = ctx.state().channel(name);
            if (channel != null && (!channel.secret() || channel.has(ctx.session()))) {
                ctx.replies().nameReplies(ctx.state(), ctx.changes(), ctx.client(), channel);
            }
        }
        ctx.reply(Numeric.RPL_ENDOFNAMES, "End of /NAMES list.", ctx.target());
    }

    /**
     * LIST [&lt;filter&gt;{,&lt;filter&gt;}] — 322 per visible channel, then 323. A filter is a channel name
     * or mask ({@code #chat*}), a mask to leave out ({@code !#chat*}), or a member count ({@code >5},
     * {@code <20}): ISUPPORT ELIST=MNU. A channel is listed when it passes every count filter and, if
     * any names or masks are given, matches one of them and none of the excluded.
     */
    void list(CommandContext ctx) {
        ChannelFilter filter = ChannelFilter.parse(ctx.target());
        for (Channel channel : ctx.state().channels()) {
            if (filter.accepts(channel) && (!channel.secret() || channel.has(ctx.session()))) {
                ctx.reply(Numeric.RPL_LIST, channel.topic(), channel.name(), Integer.toString(channel.size()));
            }
        }
        ctx.reply(Numeric.RPL_LISTEND, "End of /LIST");
    }

}
