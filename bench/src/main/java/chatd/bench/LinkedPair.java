package chatd.bench;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Two chatd processes, alpha and beta, linked both ways (each in the other's FEDERATION_PEERS, one shared
 * FEDERATION_KEY), started by a scenario and answered once each reports the other's link up.
 */
record LinkedPair(Server alpha, Server beta) {

    /**
     * Starts both servers with their own extra environment; throws {@link Scenario.Unavailable} when the
     * scenario was given --url or the link does not come up within {@code linkTimeoutSeconds}.
     */
    static LinkedPair start(Scenario scenario, Map<String, String> alphaEnv, Map<String, String> betaEnv, int linkTimeoutSeconds)
            throws Exception {
        if (scenario.opts.url != null) {
            throw new Scenario.Unavailable("two linked servers are needed: this scenario starts them itself (no --url)");
        }
        String key = UUID.randomUUID().toString();
        Server.Launch a = Server.launch(scenario.opts, "alpha", scenario.dir, scenario.newDatabase("alpha"), alphaEnv);
        Server.Launch b = Server.launch(scenario.opts, "beta", scenario.dir, scenario.newDatabase("beta"), betaEnv);
        Server sa = scenario.spawn(peered(a, key, b));
        Server sb = scenario.start(peered(b, key, a));
        sa.awaitHealthy(120_000);
        String why = awaitLink(sa, "beta", linkTimeoutSeconds);
        if (why == null) {
            why = awaitLink(sb, "alpha", linkTimeoutSeconds);
        }
        if (why != null) {
            throw new Scenario.Unavailable("federation unavailable: " + why);
        }
        return new LinkedPair(sa, sb);
    }

    private static Server.Launch peered(Server.Launch l, String key, Server.Launch peer) {
        Map<String, String> env = new LinkedHashMap<>(l.env());
        env.putIfAbsent("FEDERATION_POLICY", "allowlist");
        env.put("FEDERATION_KEY", key);
        env.put("FEDERATION_PEERS", peer.name() + "=http://127.0.0.1:" + peer.port());
        return new Server.Launch(l.name(), l.jar(), l.dir(), l.dbUrl(), l.port(), env, l.jvmOpts(), l.jfr());
    }

    /** Waits until {@code server} reports {@code peer} up; answers null, or why not. */
    private static String awaitLink(Server server, String peer, int timeoutSeconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
        String last = "no answer";
        try (HttpConn c = new HttpConn(server.url, 10_000)) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    HttpConn.Response r = c.get("/api/v1/federation/status", null);
                    if (r.status() == 404) {
                        return server.name + " has no /api/v1/federation/status (404): federation is not built into this server yet";
                    }
                    if (r.ok()) {
                        for (JsonNode p : Json.MAPPER.readTree(r.body()).path("peers")) {
                            if (peer.equals(p.path("name").asText()) && "up".equals(p.path("state").asText())) {
                                return null;
                            }
                        }
                        last = r.text();
                    } else {
                        last = r.status() + " " + r.text();
                    }
                } catch (IOException e) {
                    last = e.toString();
                    c.close();
                }
                Thread.sleep(200);
            }
        }
        return "link " + server.name + "→" + peer + " not up after " + timeoutSeconds + " s (status: " + last + ")";
    }
}
