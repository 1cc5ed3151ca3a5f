package chatd.cli.sign;

import chatd.cli.net.PrivateFile;
import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trust on first use (docs/SIGNING.md): for each {@code nick@server}, the public keys the user trusts,
 * and the last different key seen, which {@code /trust} accepts. Kept in a JSON file, written on change.
 */
public final class TrustStore {
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<String>> trusted = new LinkedHashMap<>();
    private final Map<String, String> offered = new LinkedHashMap<>();

    public TrustStore(Path file) {
        this.file = file;
        try {
            if (Files.isRegularFile(file)) {
                JsonNode json = Json.MAPPER.readTree(file.toFile());
                json.path("trusted").properties().forEach(e -> {
                    List<String> keys = new ArrayList<>();
                    e.getValue().forEach(k -> keys.add(k.asText()));
                    trusted.put(e.getKey(), keys);
                });
                json.path("offered").properties().forEach(e -> offered.put(e.getKey(), e.getValue().asText()));
            }
        } catch (IOException unreadable) {
            // start empty: every key is then met for the first time again, which is what TOFU can do
        }
    }

    public List<String> keys(String identity) {
        lock.lock();
        try {
            return List.copyOf(trusted.getOrDefault(identity, List.of()));
        } finally {
            lock.unlock();
        }
    }

    public void add(String identity, String key) {
        lock.lock();
        try {
            List<String> keys = trusted.computeIfAbsent(identity, k -> new ArrayList<>());
            if (!keys.contains(key)) {
                keys.add(key);
            }
            offered.remove(identity);
            save();
        } finally {
            lock.unlock();
        }
    }

    /** Remembers a key that is not trusted; answers false when it was already the one on offer (warned before). */
    public boolean offer(String identity, String key) {
        lock.lock();
        try {
            if (key.equals(offered.put(identity, key))) {
                return false;
            }
            save();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Trusts the key on offer for {@code identity}; answers it, or null when none is. */
    public String accept(String identity) {
        lock.lock();
        try {
            String key = offered.get(identity);
            if (key != null) {
                add(identity, key);
            }
            return key;
        } finally {
            lock.unlock();
        }
    }

    private void save() {
        PrivateFile.write(file, Json.writeBytes(Map.of("trusted", trusted, "offered", offered)));
    }
}
