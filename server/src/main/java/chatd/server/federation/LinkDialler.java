package chatd.server.federation;

import chatd.protocol.Json;
import chatd.server.ServerConfig;
import chatd.server.core.ChatCore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialler's side of the link handshake (FEDERATION.md, "Handshake"): sends the hello, checks that the
 * answer proves the shared key, learns the peer's server key, confirms. The receiver's side is in
 * {@link FederationEndpoints}; the messages, MACs and nonces in {@link LinkHandshake}.
 */
final class LinkDialler {
    private static final Logger LOG = LoggerFactory.getLogger(LinkDialler.class);

    /** Told when a dial succeeded. */
    interface LinkUp {
        void linkUp(String name, String url, String publicKey);
    }

    private final ServerConfig config;
    private final ChatCore core;
    private final String self;
    private final Signer signer;
    private final Network network;
    private final LinkHandshake handshake;
    private final FederationHttp http;
    private final Clock clock;
    private final LinkUp up;

    LinkDialler(ServerConfig config, ChatCore core, Signer signer, Network network, LinkHandshake handshake,
            FederationHttp http, Clock clock, LinkUp up) {
        this.config = config;
        this.core = core;
        this.self = config.serverName();
        this.signer = signer;
        this.network = network;
        this.handshake = handshake;
        this.http = http;
        this.clock = clock;
        this.up = up;
    }

    /** The dialler's half of the handshake (hello, answer, confirm); true when the link is up. */
    boolean dial(PeerLink link) {
        String key = link.linkKey() != null && !link.linkKey().isEmpty() ? link.linkKey() : config.federation().key();
        if (key.isEmpty()) {
            LOG.warn("link {}: no shared key (set FEDERATION_KEY or give the link a key)", link.name());
            return false;
        }
        byte[] k = LinkHandshake.keyBytes(key);
        String nonce = LinkHandshake.nonce();
        long now = clock.millis();
        ObjectNode hello = LinkHandshake.hello(self, config.http().publicUrl(), signer.publicKey(), nonce, now, k);
        FederationHttp.Answer r = http.post(link.url() + "/api/v1/federation/link", Json.write(hello).getBytes(StandardCharsets.UTF_8), null);
        if (r == null) {
            return false;
        }
        if (r.status() != 200) {
            noteRefusal(link, "hello", r);
            return false;
        }
        JsonNode answer = FederationHttp.parse(r.body());
        if (answer == null || !link.name().equals(FederationRelay.text(answer, "server"))
                || !nonce.equals(FederationRelay.text(answer, "peer_nonce"))
                || !LinkHandshake.fresh(answer.path("ts").asLong(), clock.millis())
                || !LinkHandshake.verifyMac(answer, k)) {
            LOG.warn("link {}: the answer to our hello does not prove the shared key (or names another server)", link.name());
            return false;
        }
        String theirKey = FederationRelay.text(answer, "key");
        String theirNonce = FederationRelay.text(answer, "nonce");
        if (theirNonce == null || !handshake.firstUse(theirNonce, now)) {
            LOG.warn("link {}: replayed answer", link.name());
            return false;
        }
        // The answer proves the peer holds the key: accept its relays from now on. It marks the link up as
        // soon as our confirm arrives and may send before we have read its reply to the confirm.
        String name = link.name();
        core.transact(changes -> {
            if (network.learn(name, theirKey, null)) {
                changes.persist(FederationStore.saveServer(name, theirKey, null, changes.nowMillis()));
            }
            return null;
        });
        ObjectNode confirm = LinkHandshake.confirm(self, theirNonce, nonce, clock.millis(), k);
        FederationHttp.Answer c = http.post(link.url() + "/api/v1/federation/link", Json.write(confirm).getBytes(StandardCharsets.UTF_8), null);
        if (c == null) {
            return false;
        }
        if (c.status() != 200) {
            noteRefusal(link, "confirm", c);
            return false;
        }
        up.linkUp(link.name(), link.url(), theirKey);
        return true;
    }

    private void noteRefusal(PeerLink link, String step, FederationHttp.Answer r) {
        if (r.status() == 429) {
            link.retryAfter(r.retryAfterSeconds());
        }
        LOG.warn("link {}: {} refused with {} {}", link.name(), step, r.status(), r.body());
    }
}
