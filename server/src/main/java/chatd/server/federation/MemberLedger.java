package chatd.server.federation;

import chatd.protocol.Names;
import chatd.server.core.Changes;
import chatd.server.core.Channel;
import chatd.server.core.ChatState;
import chatd.server.core.Membership;
import chatd.server.core.RemoteEvents;
import chatd.server.core.RemoteUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps {@code federation_users}, {@code federation_members} and {@code federation_modes} in step
 * with the core's remote members and the channels' {@link ModeTimes}, so that a restarted server still
 * knows who of other servers is in its channels (and routes channel messages to them) before the next
 * burst.
 *
 * <p>It holds a mirror of what is stored. {@link #sync} compares the core's state with the mirror and
 * records only the differences as one {@link FederationStore#saveLedger} mutation in the caller's
 * journal batch: the rows commit with the event that changed them, or not at all. A sync walks every
 * remote membership, so it is called once per operation that may change them (an inbound batch with
 * state events, a local KICK or MODE), never per message. Guarded by the state lock like the core.
 */
final class MemberLedger {
    /** A stored remote user. */
    record User(String nick, String server, String presence, String away) {}

    /** A stored membership: channel (folded) and member (folded {@code nick@server}). */
    record Key(String channel, String member) {}

    /** What {@link #sync} found changed, written by {@link FederationStore#saveLedger}. */
    record Delta(Map<String, User> saveUsers, List<String> deleteUsers, Map<Key, String> saveMembers,
            List<Key> deleteMembers, Map<ModeTimes.Key, ModeTimes.Stamp> saveModes, List<ModeTimes.Key> deleteModes) {
        boolean isEmpty() {
            return saveUsers.isEmpty() && deleteUsers.isEmpty() && saveMembers.isEmpty() && deleteMembers.isEmpty()
                    && saveModes.isEmpty() && deleteModes.isEmpty();
        }
    }

    /** The rows read at start-up. */
    record Loaded(Map<String, User> users, Map<Key, String> members, Map<ModeTimes.Key, ModeTimes.Stamp> modes) {}

    private final ChatState state;
    private final ModeTimes modeTimes;
    private final Map<String, User> users = new HashMap<>();
    private final Map<Key, String> members = new HashMap<>();
    private final Map<ModeTimes.Key, ModeTimes.Stamp> modes = new HashMap<>();

    MemberLedger(ChatState state, ModeTimes modeTimes) {
        this.state = state;
        this.modeTimes = modeTimes;
    }

    /**
     * Puts the stored remote members back into the core (start-up, under the lock): every user is
     * unreachable until the link towards its server comes up. Memberships of channels the core no
     * longer has are left out (and deleted by the next sync).
     */
    void restore(Changes changes, RemoteEvents remote, Loaded loaded) {
        users.putAll(loaded.users());
        members.putAll(loaded.members());
        modes.putAll(loaded.modes());
        loaded.modes().forEach((k, stamp) -> modeTimes.offer(k.channel(), k.mode(), stamp));
        for (Map.Entry<Key, String> row : loaded.members().entrySet()) {
            User u = loaded.users().get(row.getKey().member());
            Channel channel = state.channel(row.getKey().channel());
            if (u == null || channel == null) {
                continue;
            }
            RemoteUser user = state.remoteUserOrCreate(u.nick(), u.server());
            user.presence(u.presence());
            user.away(u.away());
            user.reachable(false);
            remote.restoreMember(changes, channel.name(), user, row.getValue());
        }
    }

    /** Records, in this operation's batch, whatever changed since the last sync. */
    void sync(Changes changes) {
        sync(changes, null);
    }

    /**
     * As {@link #sync(Changes)}, counting {@code leaving} as already gone: a local KICK of a remote
     * member reaches the relay before the core removes the member.
     */
    void sync(Changes changes, Key leaving) {
        Map<String, User> nowUsers = new HashMap<>();
        Map<Key, String> nowMembers = new HashMap<>();
        for (Channel c : state.channels()) {
            for (Membership m : c.members()) {
                if (m.member() instanceof RemoteUser u) {
                    String key = Names.fold(u.displayName());
                    Key k = new Key(c.foldedName(), key);
                    if (k.equals(leaving)) {
                        continue;
                    }
                    nowMembers.put(k, m.modes());
                    nowUsers.put(key, new User(u.nick(), u.serverName(), u.announcedPresence(), u.away()));
                }
            }
        }
        modeTimes.forgetChannelsNotIn(channel -> state.channel(channel) != null);
        Map<ModeTimes.Key, ModeTimes.Stamp> nowModes = new HashMap<>(modeTimes.all());
        Delta delta = new Delta(changed(users, nowUsers), gone(users, nowUsers), changed(members, nowMembers),
                gone(members, nowMembers), changed(modes, nowModes), gone(modes, nowModes));
        if (delta.isEmpty()) {
            return;
        }
        replace(users, nowUsers);
        replace(members, nowMembers);
        replace(modes, nowModes);
        changes.persist(FederationStore.saveLedger(delta));
    }

    private static <K, V> Map<K, V> changed(Map<K, V> stored, Map<K, V> now) {
        Map<K, V> out = new HashMap<>();
        now.forEach((k, v) -> {
            if (!Objects.equals(stored.get(k), v)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static <K, V> List<K> gone(Map<K, V> stored, Map<K, V> now) {
        List<K> out = new ArrayList<>();
        for (K k : stored.keySet()) {
            if (!now.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private static <K, V> void replace(Map<K, V> stored, Map<K, V> now) {
        stored.clear();
        stored.putAll(now);
    }
}
