package chatd.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed requests by kind (HTTP status or exception class), with the first message of each kind. */
final class Errors {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> first = new ConcurrentHashMap<>();

    void add(String what, String detail) {
        counts.computeIfAbsent(what, k -> new LongAdder()).increment();
        first.putIfAbsent(what, detail.length() > 200 ? detail.substring(0, 200) : detail);
    }

    void add(String op, HttpConn.Response r) {
        add(op + " " + r.status(), r.text());
    }

    void add(String op, Exception e) {
        add(op + " " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
    }

    long count() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    String summary() {
        if (counts.isEmpty()) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(e.getValue().sum()).append(" × ").append(e.getKey()).append(" (").append(first.get(e.getKey())).append(')');
        }
        return sb.toString();
    }
}
