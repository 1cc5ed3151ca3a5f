package chatd.server.federation;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.protocol.Json;
import chatd.server.testing.ChildServer;
import chatd.server.testing.Mailbox;
import chatd.server.testing.Wait;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Helpers for federation tests: servers as real processes that list each other, and status checks. */
final class FederationNet {
    static final String KEY = "test-federation-key";

    private FederationNet() {}

    /** A server process named {@code name}, dialling {@code peers} (name=url,...). */
    static ChildServer server(String name, String peers, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_NAME", name);
        env.put("FEDERATION_KEY", KEY);
        env.put("FEDERATION_POLICY", "allowlist");
        env.put("ADMIN_TOKEN", "admin-" + name);
        if (peers != null) {
            env.put("FEDERATION_PEERS", peers);
        }
        env.putAll(extra);
        return ChildServer.start(env);
    }

    /**
     * The federation status. The endpoint allows 300 calls a minute per address, and a test polling it can
     * use that up: a 429 is waited out like any other "not yet".
     */
    static JsonNode status(ChildServer s) {
        ApiClient client = new ApiClient(s.url());
        return Wait.forValue("the federation status of " + s.env().get("SERVER_NAME"), Duration.ofSeconds(30), () -> {
            try {
                return client.call("GET", "/api/v1/federation/status", null);
            } catch (ApiException e) {
                if (e.status() == 429) {
                    return null;
                }
                throw e;
            }
        });
    }

    static JsonNode peer(ChildServer s, String name) {
        for (JsonNode p : status(s).path("peers")) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        return null;
    }

    static boolean up(ChildServer s, String peer) {
        JsonNode p = peer(s, peer);
        return p != null && p.path("state").asText().equals("up");
    }

    static void awaitUp(ChildServer s, String peer) {
        Wait.until(s.env().get("SERVER_NAME") + " sees " + peer + " up", Duration.ofSeconds(30), () -> up(s, peer));
    }

    /** Adds a link at run time through the admin endpoint. */
    static void addLink(ChildServer s, String name, String url) {
        ApiClient admin = new ApiClient(s.url()).token("admin-" + s.env().get("SERVER_NAME"));
        admin.call("POST", "/api/v1/federation/links", Json.MAPPER.createObjectNode().put("name", name).put("url", url));
    }

    static Mailbox user(ChildServer s, String nick) {
        ApiClient api = s.client();
        api.createSession(nick);
        Mailbox box = new Mailbox(api);
        box.drain();
        return box;
    }

    static boolean hasMember(Mailbox box, String channel, String nick) {
        for (JsonNode m : box.api().members(channel)) {
            if (m.path("nick").asText().equalsIgnoreCase(nick)) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #hasMember}, for waiting on a relay: a channel the server has not heard of yet (404) has no one. */
    static boolean seesMember(Mailbox box, String channel, String nick) {
        try {
            return hasMember(box, channel, nick);
        } catch (ApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Two processes, alpha and beta, each listing the other, started side by side and linked. */
    static ChildServer[] linkedPair(Map<String, String> alphaExtra) throws IOException {
        int pa = ChildServer.freePort();
        int pb = ChildServer.freePort();
        Map<String, String> a = new HashMap<>(alphaExtra);
        a.put("PORT", "" + pa);
        var fa = CompletableFuture.supplyAsync(() -> server("alpha", "beta=http://127.0.0.1:" + pb, a));
        var fb = CompletableFuture.supplyAsync(() -> server("beta", "alpha=http://127.0.0.1:" + pa, Map.of("PORT", "" + pb)));
        ChildServer[] pair = {fa.join(), fb.join()};
        awaitUp(pair[0], "beta");
        awaitUp(pair[1], "alpha");
        return pair;
    }

    /** alice on alpha and bob on beta, both on {@code channel}, each having seen the other there. */
    static Mailbox[] sharedChannel(ChildServer alpha, ChildServer beta, String channel) {
        Mailbox alice = user(alpha, "alice");
        Mailbox bob = user(beta, "bob");
        alice.api().send("JOIN", channel);
        alice.awaitNumeric("366");
        Wait.until("beta knows " + channel, Duration.ofSeconds(10), () -> seesMember(bob, channel, "alice@alpha"));
        bob.api().send("JOIN", channel);
        alice.await("bob@beta joined", e -> e.command().equals("JOIN") && "bob@beta".equals(e.from()));
        return new Mailbox[] {alice, bob};
    }
}
