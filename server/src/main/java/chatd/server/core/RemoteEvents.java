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

/**
 * Events of other servers applied to this server's state (SPEC §7.5). Called by the federation
 * adapter inside {@link ChatCore#transact}, with envelopes already in this server's view: remote users
 * as {@code nick@server}, local users as bare nicks, {@code id}, {@code ts} and {@code origin} as the
 * origin stamped them. Deliveries go to local sessions only: forwarding to other servers is the
 * adapter's business, so nothing here calls {@link Relay}.
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

    /** JOIN of a remote user: creates the channel if needed, adds the member, tells local members. */
    public void join(Changes changes, String channelName, RemoteUser user, String modes, Envelope event) {
        Channel channel = channelOrCreate(changes, channelName);
        if (channel == null) {
            return;
        }
        Membership m = channel.membership(user);
        boolean added = m == null;
        if (added) {
            m = channel.add(user, false);
        }
        m.op(modes != null && modes.contains("o"));
        m.voice(modes != null && modes.contains("v"));
        if (added && event != null) {
            toLocalMembers(changes, channel, event);
        }
    }

    /** PART of a remote user. */
    public void part(Changes changes, String channelName, RemoteUser user, Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null || !channel.has(user)) {
            return;
        }
        toLocalMembers(changes, channel, event);
        channel.remove(user);
        Lifecycle.dropIfEmpty(state, changes, channel);
        forgetIfGone(user);
    }

    /** KICK by a remote operator; {@code victim} in this server's view (bare nick = a local user). */
    public void kick(Changes changes, String channelName, String victim, Envelope event) {
        Channel channel = state.channel(channelName);
        Membership target = channel == null ? null : channel.membership(victim);
        if (target == null) {
            return;
        }
        toLocalMembers(changes, channel, event);
        if (target.member() instanceof Session s) {
            Lifecycle.leave(state, changes, channel, s);
        } else {
            channel.remove(target.member());
            Lifecycle.dropIfEmpty(state, changes, channel);
            forgetIfGone((RemoteUser) target.member());
        }
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
     * A topic from another server: applied when newer than ours (ties: smaller server name wins), then
     * shown to local members. Answers whether it was applied.
     */
    public boolean topic(Changes changes, String channelName, String text, String setter, long atMillis,
            Envelope event) {
        Channel channel = channelOrCreate(changes, channelName);
        if (channel == null || !topicWins(channel, setter, atMillis)) {
            return false;
        }
        boolean changed = !channel.topic().equals(text);
        channel.topic(text, setter, atMillis);
        changes.persist(Lifecycle.saveChannel(channel));
        if (changed && event != null) {
            toLocalMembers(changes, channel, event);
        }
        return true;
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

    /**
     * MODE from a remote operator; {@code params} is the mode string then its arguments, nicks in this
     * server's view. Applies what it can and shows the MODE to local members.
     */
    public void mode(Changes changes, String channelName, List<String> params, Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null || params.isEmpty()) {
            return;
        }
        boolean channelChanged = false;
        for (ModeChange change : Modes.parse(params)) {
            if (change.missingArgument()) {
                continue;
            }
            boolean adding = change.adding();
            String arg = change.arg();
            char c = change.mode();
            switch (c) {
                case 'o', 'v' -> {
                    Membership m = channel.membership(arg);
                    if (m != null) {
                        if (c == 'o') m.op(adding); else m.voice(adding);
                        if (m.member() instanceof Session s) {
                            changes.persist(new Mutation.SaveMembership(channel.foldedName(), s.id(), m.modes()));
                        }
                    }
                }
                case 'i', 'm', 'n', 's', 't' -> channelChanged |= channel.flag(c, adding);
                case 'k' -> {
                    channel.key(adding ? arg : null);
                    channelChanged = true;
                }
                case 'l' -> {
                    try {
                        channel.limit(adding ? Math.max(0, Integer.parseInt(arg)) : 0);
                        channelChanged = true;
                    } catch (NumberFormatException e) {
                        // a bad limit is ignored, as locally
                    }
                }
                case 'b' -> channelChanged |= adding ? channel.addBan(arg) : channel.removeBan(arg);
                default -> { }
            }
        }
        if (channelChanged) {
            changes.persist(Lifecycle.saveChannel(channel));
        }
        if (event != null) {
            toLocalMembers(changes, channel, event);
        }
    }

    /** PRIVMSG/NOTICE/PUBKEY to a channel: every local member sees it, stored in the channel's history. */
    public void channelMessage(Changes changes, String channelName, Envelope event) {
        Channel channel = state.channel(channelName);
        if (channel == null) {
            return;
        }
        List<Mutation.Recipient> to = new ArrayList<>();
        for (Membership m : channel.members()) {
            if (m.member() instanceof Session s) {
                to.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        changes.deliver(event, channel.foldedName(), to);
    }

    /** A DM for a local user ({@code event.to()} is the bare nick); false when there is no such user. */
    public boolean directMessage(Changes changes, Envelope event) {
        Session recipient = state.sessionByNick(event.to());
        if (recipient == null) {
            return false;
        }
        changes.deliver(event.withTo(recipient.nick()), Changes.dmKey(recipient.nick(), event.from()),
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
