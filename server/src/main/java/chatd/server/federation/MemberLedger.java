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
 * Keeps {@code federation_users}, {@code federation_members} and {@code federation_channels} in step
 * with the core's remote members and the channels' mode timestamps, so that a restarted server still
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
            List<Key> deleteMembers, Map<String, Long> saveModeMillis, List<String> deleteModeMillis) {
        boolean isEmpty() {
            return saveUsers.isEmpty() && deleteUsers.isEmpty() && saveMembers.isEmpty() && deleteMembers.isEmpty()
                    && saveModeMillis.isEmpty() && deleteModeMillis.isEmpty();
        }
    }

    /** The rows read at start-up. */
    record Loaded(Map<String, User> users, Map<Key, String> members, Map<String, Long> modeMillis) {}

    private final ChatState state;
    private final Map<String, Long> modeMillis;
    private final Map<String, User> users = new HashMap<>();
    private final Map<Key, String> members = new HashMap<>();
    private final Map<String, Long> storedModeMillis = new HashMap<>();

    MemberLedger(ChatState state, Map<String, Long> modeMillis) {
        this.state = state;
        this.modeMillis = modeMillis;
    }

    /**
     * Puts the stored remote members back into the core (start-up, under the lock): every user is
     * unreachable until the link towards its server comes up. Memberships of channels the core no
     * longer has are left out (and deleted by the next sync).
     */
    void restore(Changes changes, RemoteEvents remote, Loaded loaded) {
        users.putAll(loaded.users());
        members.putAll(loaded.members());
        storedModeMillis.putAll(loaded.modeMillis());
        modeMillis.putAll(loaded.modeMillis());
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
            remote.join(changes, channel.name(), user, row.getValue(), null);
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
        Map<String, Long> nowModes = new HashMap<>();
        modeMillis.forEach((channel, ms) -> {
            if (state.channel(channel) != null) {
                nowModes.put(channel, ms);
            }
        });
        modeMillis.keySet().retainAll(nowModes.keySet());
        Delta delta = new Delta(changed(users, nowUsers), gone(users, nowUsers), changed(members, nowMembers),
                gone(members, nowMembers), changed(storedModeMillis, nowModes), gone(storedModeMillis, nowModes));
        if (delta.isEmpty()) {
            return;
        }
        replace(users, nowUsers);
        replace(members, nowMembers);
        replace(storedModeMillis, nowModes);
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
