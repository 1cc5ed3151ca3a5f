package chatd.server.core;

import chatd.protocol.Names;
import chatd.protocol.Numeric;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only views transports serve (SPEC §6), as records whose component names are the JSON field
 * names. Built under the state lock (the facade takes it), so they are copies: nothing live is handed out.
 */
public final class Views {
    private final ChatState state;

    Views(ChatState state) {
        this.state = state;
    }

    /** GET /state and /users/me; {@code away} only while away. */
    public record UserState(long id, String nick, @JsonInclude(JsonInclude.Include.NON_NULL) String away,
            List<JoinedChannel> channels) {}

    public record JoinedChannel(String name, String topic) {}

    /** A row of GET /channels. */
    public record ListedChannel(String name, String topic, int members) {}

    /** A row of GET /channels/{name}/members; {@code away} only while away. */
    public record ChannelMember(String nick, String server, String modes,
            @JsonInclude(JsonInclude.Include.NON_NULL) String away, String presence) {}

    UserState userState(Client client) {
        Session s = client.session();
        List<JoinedChannel> channels = new ArrayList<>();
        for (Channel c : s.channels()) {
            channels.add(new JoinedChannel(c.name(), c.topic()));
        }
        return new UserState(s.id(), s.nick(), s.away(), channels);
    }

    /** Every channel that is not +s, by name. */
    List<ListedChannel> channelList() {
        List<ListedChannel> out = new ArrayList<>();
        for (Channel c : state.channels()) {
            if (!c.secret()) {
                out.add(new ListedChannel(c.name(), c.topic(), c.size()));
            }
        }
        out.sort(Comparator.comparing(ListedChannel::name, String::compareToIgnoreCase));
        return out;
    }

    /** A channel's members, remote ones included; null when it is not visible to the caller. */
    List<ChannelMember> members(Client client, String channelName) {
        Channel c = state.channel(channelName);
        if (c == null || (c.secret() && !c.has(client.session()))) {
            return null;
        }
        long now = state.nowMillis();
        List<ChannelMember> out = new ArrayList<>();
        for (Membership m : c.members()) {
            Member member = m.member();
            out.add(new ChannelMember(member.displayName(), member.server(state), m.modes(), member.away(),
                    member.presence(now)));
        }
        return out;
    }

    /** The history key the caller may read: a channel it is on, or its DM with the target. */
    String historyKey(Client client, String target) {
        if (Names.isChannel(target)) {
            Channel c = state.channel(target);
            if (c == null || !c.has(client.session())) {
                throw new ChatError(ChatError.Kind.FORBIDDEN, "you are not on " + target, Numeric.ERR_NOTONCHANNEL);
            }
            return c.foldedName();
        }
        Names.UserAddress address = Names.parseUser(target);
        if (!Names.isValidNick(address.nick()) || target.indexOf(Changes.DM_SEPARATOR) >= 0) {
            throw new ChatError(ChatError.Kind.INVALID_REQUEST, "the target " + target + " is neither a channel nor a nick");
        }
        boolean local = !address.isRemote() || address.server().equals(state.serverName());
        Session partner = local ? state.sessionByNick(address.nick()) : null;
        return Changes.dmKey(Changes.dmParty(client.session()), partner != null ? Changes.dmParty(partner) : target);
    }

    /** The name under which a DM partner ({@link Changes#dmParty}) is shown; null for an anonymous session that has ended. */
    String dmPartnerName(String party) {
        if (!party.startsWith("~")) {
            return party;
        }
        Session s = state.sessionById(Long.parseLong(party.substring(1)));
        return s == null ? null : s.nick();
    }

    /** The channels the caller is on: folded name (the history key) → name. */
    Map<String, String> channelNames(Client client) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Channel c : client.session().channels()) {
            out.put(c.foldedName(), c.name());
        }
        return out;
    }

    /** The session's read marker of a target (IRCv3 read-marker), or null. */
    Instant readMarker(Client client, String target) {
        return client.session().readMarker(Names.fold(target));
    }
}
