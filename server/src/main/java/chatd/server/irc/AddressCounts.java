package chatd.server.irc;

import java.util.HashMap;
import java.util.Map;

/**
 * How many connections each address holds, by connection class ({@code null}: not registered yet), and
 * whether one more is allowed. Taken once when a connection is accepted and once when it registers,
 * never per line, so one lock is enough.
 */
final class AddressCounts {
    private final ConnectionClasses classes;
    private final Map<String, Map<ConnectionClass, Integer>> held = new HashMap<>();

    AddressCounts(ConnectionClasses classes) {
        this.classes = classes;
    }

    /**
     * A new connection in {@code cls} (null: unregistered): false when the address is at the limit. Exempt
     * connections count only against the exempt class; the others together against the larger limit.
     */
    synchronized boolean admit(String address, ConnectionClass cls) {
        Map<ConnectionClass, Integer> counts = held.computeIfAbsent(address, a -> new HashMap<>());
        boolean room = cls != null ? counts.getOrDefault(cls, 0) < cls.perAddress()
                : notExempt(counts) < classes.unregisteredCeiling();
        if (room) {
            counts.merge(cls, 1, Integer::sum);
        } else if (counts.isEmpty()) {
            held.remove(address);
        }
        return room;
    }

    /**
     * A connection moves from class {@code from} to {@code to} (null: unregistered, never full): false, and
     * nothing moves, when {@code to} is full.
     */
    synchronized boolean move(String address, ConnectionClass from, ConnectionClass to) {
        if (from == to) {
            return true;
        }
        Map<ConnectionClass, Integer> counts = held.get(address);
        if (to != null && counts.getOrDefault(to, 0) >= to.perAddress()) {
            return false;
        }
        counts.merge(to, 1, Integer::sum);
        counts.computeIfPresent(from, (c, n) -> n <= 1 ? null : n - 1);
        return true;
    }

    synchronized void release(String address, ConnectionClass cls) {
        Map<ConnectionClass, Integer> counts = held.get(address);
        if (counts == null) {
            return;
        }
        counts.computeIfPresent(cls, (c, n) -> n <= 1 ? null : n - 1);
        if (counts.isEmpty()) {
            held.remove(address);
        }
    }

    private int notExempt(Map<ConnectionClass, Integer> counts) {
        int n = 0;
        for (Map.Entry<ConnectionClass, Integer> e : counts.entrySet()) {
            if (e.getKey() != classes.exempt()) {
                n += e.getValue();
            }
        }
        return n;
    }
}
