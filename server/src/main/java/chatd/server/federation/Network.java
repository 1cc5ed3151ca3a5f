package chatd.server.federation;

import chatd.protocol.Ed25519;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers this one knows in the network: each one's Ed25519 public key (to verify the events it
 * originates) and the direct peer it is reached through ({@code via}; null for a direct peer). Keys
 * come from link handshakes, from {@code SERVER} introductions and from bursts; the first key seen for
 * a name stays (a different key for a known name is a duplicate server, refused). Concurrent: relay
 * requests verify signatures outside the state lock.
 */
final class Network {
    record Server(String name, String publicKey, byte[] key, String via) {}

    private final String self;
    private final Map<String, Server> servers = new ConcurrentHashMap<>();

    Network(String self) {
        this.self = self;
    }

    Server get(String name) {
        return servers.get(name);
    }

    byte[] key(String name) {
        Server s = servers.get(name);
        return s == null ? null : s.key();
    }

    /**
     * Records a server; answers true when something changed. A direct link (via null) always wins the
     * route; a key change is accepted only from a direct link (the peer proved the shared key).
     */
    boolean learn(String name, String publicKey, String via) {
        if (name == null || name.equals(self) || publicKey == null) {
            return false;
        }
        byte[] key;
        try {
            key = Ed25519.decodeKey(publicKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Server old = servers.get(name);
        if (old != null) {
            boolean sameKey = old.publicKey().equals(publicKey);
            if (!sameKey && via != null) {
                return false;
            }
            if (sameKey && (old.via() == null || via != null)) {
                return false;
            }
        }
        servers.put(name, new Server(name, publicKey, key, via));
        return true;
    }

    /** True when {@code name} is known with another key (a second server claiming a taken name). */
    boolean conflicts(String name, String publicKey) {
        Server s = servers.get(name);
        return name.equals(self) || (s != null && !s.publicKey().equals(publicKey));
    }

    /** The direct peer to send to for {@code server}; null when unknown. */
    String nextHop(String server) {
        Server s = servers.get(server);
        if (s == null) {
            return null;
        }
        return s.via() == null ? s.name() : s.via();
    }

    /** The peer itself and every server reached through it. */
    Set<String> behind(String peer) {
        Set<String> out = new LinkedHashSet<>();
        out.add(peer);
        for (Server s : servers.values()) {
            if (peer.equals(s.via())) {
                out.add(s.name());
            }
        }
        return out;
    }

    Iterable<Server> all() {
        return servers.values();
    }
}
