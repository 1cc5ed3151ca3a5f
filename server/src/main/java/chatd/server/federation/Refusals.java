package chatd.server.federation;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event refused from a peer: logged with peer, event and reason, counted in
 * {@code chatd_federation_events_refused_total{reason}}, and answered in the batch's {@code rejected} list.
 */
final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    Refusals(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Logs and counts a refusal; answers its entry for the {@code rejected} list. */
    ObjectNode record(String peer, String eventId, Inbound.Rejection rejection) {
        LOG.warn("event {} from peer {} refused: {}", eventId, peer, rejection.reason());
        counters.computeIfAbsent(rejection.label(), label -> Counter.builder("chatd_federation_events_refused")
                .description("events from linked peers refused, by reason").tag("reason", label).register(registry))
                .increment();
        return Json.MAPPER.createObjectNode().put("id", eventId == null ? "" : eventId).put("reason", rejection.reason());
    }
}
