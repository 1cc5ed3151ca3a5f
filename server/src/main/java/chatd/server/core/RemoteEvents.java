package chatd.server.core;

import chatd.protocol.Envelope;
import chatd.protocol.ModeChange;
import chatd.protocol.Modes;
import chatd.protocol.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Events of other servers applied to this server's state (SPEC §7.5). Called by the federation
 * adapter inside {@link ChatCore#transact}, with envelopes already in this server's view: remote users
 * as {@code nick@server}, local users as bare nicks, {@code id}, {@code ts} and {@code origin} as the
 * origin stamped them. Deliveries go to local sessions only: forwarding to other servers is the
 * adapter's business, so nothing here calls {@link Relay}.
 *
 * <p>Who may do what is decided by {@link ChannelRules}, the same rule book local commands use, with
 * the remote user as the actor and its status as this server knows it; a refusal is answered to the
 * caller (the federation adapter reports it to the peer) and changes nothing.
 *
 * <p>Decisions: a channel that exists only because remote users are in it is a normal channel (a
 * local JOIN joins it, and the first local joiner gets no {@code @} since the channel is not new);
 * topic conflicts keep the newest timestamp, ties going to the lexicographically smaller server name.
 */
public final class RemoteEvents {
    private final ChatState state;

    public RemoteEvents(ChatState state) {
        this.state = state;
    }

    public ChatState state() {
        return state;
    }

    /** The remote user behind {@code nick@server}, created on first sight. */
    public RemoteUser user(String display) {
        Names.UserAddress a = Names.parseUser(display);
        return state.remoteUserOrCreate(a.nick(), a.server());
    }

    /**
     * JOIN of a remote user, by the rule book ({@link ChannelRules#join}): {@code key} is the key its origin
     * checked ({@code RELAYED}) or the one its burst names ({@code NETJOIN}). Prefix modes ({@code modes})
     * are taken when the join creates the channel here (its creator is an operator, as locally), and from a
     * netjoin into a channel without local members (this server has no stake in it yet and, newly linked,
     * must take each server's word for its own users' status). Elsewhere a remote user's privileges are
     * the ones this server gives through MODE: a netjoin may lower them (its server's view after a split),
     * never raise them.
     */
    public ChannelRules.Refusal join(Changes changes, String channelName, RemoteUser user, String modes, String key,
            ChannelRules.JoinPath path, Envelope event) {
        if (!Names.isValidChannel(channelName)) {
            forgetIfGone(user);
            return noSuchChannel(channelName);
        }
        boolean created = state.channel(channelName) == null;
        Channel channel = channelOrCreate(changes, channelName);
        Membership m = channel.membership(user);
        String given = modes == null ? "" : modes;
        boolean takePrefixes = created || (path == ChannelRules.JoinPath.NETJOIN && !hasLocalMembers(channel));
        if (m == null) {
            ChannelRules.Refusal refused = created ? null : ChannelRules.join(state, channel, user, key, path);
            if (refused != null) {
                forgetIfGone(user);
                return refused;
            }
            m = channel.add(user, takePrefixes && given.contains("o"));
            m.voice(takePrefixes && given.contains("v"));
            if (event != null) {
                toLocalMembers(changes, channel, event);
            }
        } else if (path == ChannelRules.JoinPath.NETJOIN) {
            m.op((m.op() || takePrefixes) && given.contains("o"));
            m.voice((m.voice() || takePrefixes) && given.contains("v"));
        }
        return null;
    }

    /** A remote membership as this server stored it (restart): taken as it was, nobody is told. */
    public void restoreMember(Changes changes, String channelName, RemoteUser user, String modes) {
        Channel channel = channelOrCreate(changes, channelName);
        if (channel != null) {
            Membership m = channel.has(user) ? channel.membership(user) : channel.add(user, false);
            m.op(modes.contains("o"));
            m.voice(modes.contains("v"));
        }
    }

    /** PART of a remote user. */
    public ChannelRules.Refusal part(Changes changes, String channelName, RemoteUser user, Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null) {
            return noSuchChannel(channelName);
        }
        ChannelRules.Refusal refused = ChannelRules.part(channel, user);
        if (refused != null) {
            return refused;
        }
        toLocalMembers(changes, channel, event);
        channel.remove(user);
        Lifecycle.dropIfEmpty(state, changes, channel);
        forgetIfGone(user);
        return null;
    }

    /** KICK by a remote user, who must be an operator here; {@code victim} in this server's view. */
    public ChannelRules.Refusal kick(Changes changes, String channelName, Member actor, String victim, Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null) {
            return noSuchChannel(channelName);
        }
        ChannelRules.Refusal refused = ChannelRules.kick(channel, actor, victim);
        if (refused != null) {
            return refused;
        }
        Membership target = channel.membership(victim);
        toLocalMembers(changes, channel, event);
        if (target.member() instanceof Session s) {
            Lifecycle.leave(state, changes, channel, s);
        } else {
            channel.remove(target.member());
            Lifecycle.dropIfEmpty(state, changes, channel);
            forgetIfGone((RemoteUser) target.member());
        }
        return null;
    }

    /** QUIT of a remote user: leaves every channel; local neighbours see one QUIT. */
    public void quit(Changes changes, RemoteUser user, Envelope event) {
        List<Channel> channels = channelsOf(user);
        changes.deliver(event, null, recipients(channels, null));
        for (Channel c : channels) {
            c.remove(user);
            Lifecycle.dropIfEmpty(state, changes, c);
        }
        state.forgetRemoteUser(user);
    }

    /** NICK of a remote user: a new {@code newNick@server} takes its place in every channel. */
    public void nick(Changes changes, RemoteUser user, String newNick, Envelope event) {
        List<Channel> channels = channelsOf(user);
        RemoteUser renamed = state.remoteUserOrCreate(newNick, user.serverName());
        renamed.presence(user.announcedPresence());
        renamed.away(user.away());
        for (Channel c : channels) {
            Membership old = c.remove(user);
            Membership now = c.add(renamed, old.op());
            now.voice(old.voice());
        }
        state.forgetRemoteUser(user);
        changes.deliver(event, null, recipients(channels, null));
    }

    /** AWAY of a remote user (null text = back). */
    public void away(RemoteUser user, String text) {
        user.away(text);
        user.presence(text == null ? "online" : "away");
    }

    /** Presence announced by the user's server (online, idle, away, offline). */
    public void presence(RemoteUser user, String presence) {
        user.presence(presence);
    }

    /**
     * TOPIC by a remote user: allowed by the rule book (member; operator when {@code +t}), then applied
     * when newer than ours (ties: smaller server name wins) and shown to local members.
     */
    public ChannelRules.Refusal topic(Changes changes, String channelName, Member actor, String text, long atMillis,
            Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null) {
            return noSuchChannel(channelName);
        }
        ChannelRules.Refusal refused = ChannelRules.topic(channel, actor);
        if (refused == null) {
            applyTopic(changes, channel, ChannelRules.topicText(text), actor.displayName(), atMillis, event);
        }
        return refused;
    }

    /** A topic asserted by a netjoin (checked by the caller): applied when it wins the conflict rule. */
    public void applyTopic(Changes changes, Channel channel, String text, String setter, long atMillis, Envelope event) {
        if (!topicWins(channel, setter, atMillis)) {
            return;
        }
        boolean changed = !channel.topic().equals(text);
        channel.topic(text, setter, atMillis);
        changes.persist(Lifecycle.saveChannel(channel));
        if (changed && event != null) {
            toLocalMembers(changes, channel, event);
        }
    }

    /** Whether a topic set by {@code setter} at {@code atMillis} beats the channel's current one. */
    public boolean topicWins(Channel channel, String setter, long atMillis) {
        if (channel.topicSetter().isEmpty() && channel.topic().isEmpty()) {
            return true;
        }
        if (atMillis != channel.topicMillis()) {
            return atMillis > channel.topicMillis();
        }
        return serverOf(setter).compareTo(serverOf(channel.topicSetter())) < 0;
    }

    /** What a remote MODE did: the changes that took effect, and the ones the rule book refused. */
    public record ModeOutcome(List<ModeChange> applied, List<ChannelRules.Refusal> refused) {}

    /**
     * MODE from a remote user ({@code actor}, who must be an operator here) or from a netjoin
     * ({@code actor} null: the caller checked that the burst's server may assert it). {@code params}: the
     * mode string then its arguments, nicks in this server's view. Each change is validated by the rule
     * book and kept when {@code wins} (the conflict rule); local members see what took effect.
     */
    public ModeOutcome mode(Changes changes, String channelName, Member actor, List<String> params,
            Predicate<ModeChange> wins, Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null) {
            return new ModeOutcome(List.of(), List.of(noSuchChannel(channelName)));
        }
        ChannelRules.Refusal notOp = actor == null ? null : ChannelRules.operator(channel, actor);
        if (notOp != null) {
            return new ModeOutcome(List.of(), List.of(notOp));
        }
        List<ChannelRules.Refusal> refused = new ArrayList<>();
        List<ModeChange> applied = ChannelRules.applyModes(state, changes, channel, Modes.parse(params), wins, refused);
        if (!applied.isEmpty() && event != null) {
            toLocalMembers(changes, channel, new Envelope(event.id(), event.ts(), event.command(), event.from(), event.to(),
                    Modes.format(applied), event.body(), event.origin(), event.meta()));
        }
        return new ModeOutcome(applied, refused);
    }

    /**
     * PRIVMSG/NOTICE (who may speak: {@link ChannelRules#speak}) or PUBKEY (members only) to a channel:
     * every local member sees it, stored in the channel's history.
     */
    public ChannelRules.Refusal channelMessage(Changes changes, String channelName, Member sender, Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null) {
            return noSuchChannel(channelName);
        }
        ChannelRules.Refusal refused = event.command().equals("PUBKEY") ? ChannelRules.part(channel, sender)
                : ChannelRules.speak(state, channel, sender);
        if (refused != null) {
            return refused;
        }
        List<Mutation.Recipient> to = new ArrayList<>();
        for (Membership m : channel.members()) {
            if (m.member() instanceof Session s) {
                to.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        changes.deliver(event, channel.foldedName(), to);
        return null;
    }

    /** A DM for a local user ({@code event.to()} is the bare nick); false when there is no such user. */
    public boolean directMessage(Changes changes, Envelope event) {
        Session recipient = state.sessionByNick(event.to());
        if (recipient == null) {
            return false;
        }
        changes.deliver(event.withTo(recipient.nick()), Changes.dmKey(Changes.dmParty(recipient), event.from()),
                List.of(new Mutation.Recipient(recipient.id(), 0)));
        return true;
    }

    /** Every remote user of {@code server}: reachable or not (its link went down or came back). */
    public void reachable(Set<String> servers, boolean value) {
        for (RemoteUser u : state.remoteUsers()) {
            if (servers.contains(u.serverName())) {
                u.reachable(value);
            }
        }
    }

    /** Remote members of {@code server} in a channel that the server no longer lists (burst resync). */
    public void resync(Changes changes, String server, String channelName, Set<String> listedFolded) {
        Channel channel = state.channel(channelName);
        if (channel == null) {
            return;
        }
        for (Membership m : List.copyOf(channel.members())) {
            if (m.member() instanceof RemoteUser u && u.serverName().equals(server)
                    && !listedFolded.contains(Names.fold(u.displayName()))) {
                Envelope part = new Envelope(null, Instant.ofEpochMilli(changes.nowMillis()).toString(), "PART",
                        u.displayName(), channel.name(), List.of(), Envelope.lines(List.of("resync")), server, null);
                part(changes, channel.name(), u, part);
            }
        }
    }

    /** Channels left without members after a restart (their remote members come back with the burst). */
    public void dropEmptyChannels(Changes changes) {
        for (Channel c : List.copyOf(state.channels())) {
            Lifecycle.dropIfEmpty(state, changes, c);
        }
    }

    private Channel channelOrCreate(Changes changes, String name) {
        if (!Names.isValidChannel(name)) {
            return null;
        }
        Channel channel = state.channel(name);
        if (channel == null) {
            channel = new Channel(name, changes.nowMillis());
            state.addChannel(channel);
            changes.persist(Lifecycle.saveChannel(channel));
        }
        return channel;
    }

    private static boolean hasLocalMembers(Channel channel) {
        for (Membership m : channel.members()) {
            if (m.member() instanceof Session) {
                return true;
            }
        }
        return false;
    }

    private static ChannelRules.Refusal noSuchChannel(String name) {
        return new ChannelRules.Refusal(ChannelRules.Reason.NO_SUCH_CHANNEL, List.of(name == null ? "" : name));
    }

    private List<Channel> channelsOf(RemoteUser user) {
        List<Channel> out = new ArrayList<>();
        for (Channel c : state.channels()) {
            if (c.has(user)) {
                out.add(c);
            }
        }
        return out;
    }

    private void forgetIfGone(RemoteUser user) {
        if (channelsOf(user).isEmpty()) {
            state.forgetRemoteUser(user);
        }
    }

    private void toLocalMembers(Changes changes, Channel channel, Envelope event) {
        changes.deliver(event, channel.foldedName(), recipients(List.of(channel), null));
    }

    private static List<Mutation.Recipient> recipients(List<Channel> channels, Session except) {
        Set<Session> sessions = new LinkedHashSet<>();
        for (Channel c : channels) {
            for (Membership m : c.members()) {
                if (m.member() instanceof Session s && s != except) {
                    sessions.add(s);
                }
            }
        }
        List<Mutation.Recipient> out = new ArrayList<>();
        sessions.forEach(s -> out.add(new Mutation.Recipient(s.id(), 0)));
        return out;
    }

    private String serverOf(String setter) {
        Names.UserAddress a = Names.parseUser(setter == null ? "" : setter);
        return a.isRemote() ? a.server() : state.serverName();
    }
}
