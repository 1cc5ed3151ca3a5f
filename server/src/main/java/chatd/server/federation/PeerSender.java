package chatd.server.federation;

import chatd.server.core.ChatCore;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side of every link: each peer's sender thread ({@link PeerLink}) asks it to post the next
 * batches of the peer's outbox (pipelined, within the receiver's limits), and to handle their answers in
 * order. Nothing waits on a timer: what is queued goes out at once when no batch is in flight; while one
 * is (the peer is busy), rows gather and go in the next batch. See FEDERATION.md, "Durable outbox and the
 * sender".
 */
final class PeerSender {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSender.class);
    /** As many events as the receiver takes in one request ({@link FederationEndpoints#MAX_EVENTS}). */
    static final int BATCH_EVENTS = FederationEndpoints.MAX_EVENTS;
    /** Batches a peer may have in flight: the next is verified there while the one before commits. */
    static final int IN_FLIGHT = 2;
    /**
     * A batch follows one still in flight only when this many rows wait: every request costs the peer a
     * signature check, a commit and a wake-up of its pollers, so a trickle waits for the answer instead.
     */
    static final int PIPELINE_MIN = 50;
    /** In chars: a char is at most 3 UTF-8 bytes, and the txn and framing fit in the rest of the body limit. */
    static final int BATCH_CHARS = (FederationEndpoints.MAX_BODY - 4096) / 3;
    private static final String RELAY_PATH = "/api/v1/federation/relay";

    private final ChatCore core;
    private final FederationStore store;
    private final FederationHttp http;
    private final String self;
    /**
     * Names this run in batch txns: outbox seqs start again from the highest queued one after a restart,
     * so without it a drained outbox would reuse a txn the peer already answered (and the peer would
     * answer the old result without applying the new events).
     */
    private final String boot = UUID.randomUUID().toString().substring(0, 8);

    PeerSender(ChatCore core, FederationStore store, FederationHttp http) {
        this.core = core;
        this.store = store;
        this.http = http;
        this.self = core.state().serverName();
    }

    /**
     * Drives the peer's pipeline: sends batches while fewer than {@link #IN_FLIGHT} are in flight and enough
     * rows wait (each naming the one before it, so the peer applies them in order), then handles the oldest
     * one's answer once it is in, acknowledging in order. Waits (woken by new rows or an answer) when there
     * is nothing to do; an empty batch goes out as a heartbeat when nothing happened for a while.
     */
    PeerLink.Outcome sendNext(PeerLink link) {
        Deque<PeerLink.Batch> inFlight = link.inFlight();
        while (inFlight.size() < IN_FLIGHT) {
            PeerLink.Batch previous = inFlight.peekLast();
            List<FederationStore.OutboxRow> rows = nextRows(link, previous == null ? link.acked() : previous.last());
            if (rows.isEmpty() || (previous != null && rows.size() < PIPELINE_MIN)) {
                break;
            }
            inFlight.add(send(link, rows, previous));
        }
        PeerLink.Batch head = inFlight.peekFirst();
        if (head != null && head.answer().isDone()) {
            inFlight.removeFirst();
            return answered(link, head, head.answer().join());
        }
        try {
            if (link.idle() || head != null) {
                return PeerLink.Outcome.WAITING;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PeerLink.Outcome.FAILED;
        }
        PeerLink.Batch heartbeat = send(link, List.of(), null);
        return answered(link, heartbeat, heartbeat.answer().join());
    }

    /** The rows after {@code after}: from memory, or from the store when memory may lack some. */
    private List<FederationStore.OutboxRow> nextRows(PeerLink link, long after) {
        List<FederationStore.OutboxRow> rows = link.tail().after(after, BATCH_EVENTS);
        return rows != null ? rows : store.peek(link.name(), after, BATCH_EVENTS);
    }

    /** Posts a batch (empty: a heartbeat) without waiting; the answer wakes the sender. */
    private PeerLink.Batch send(PeerLink link, List<FederationStore.OutboxRow> rows, PeerLink.Batch previous) {
        if (rows.isEmpty()) {
            return post(link, new StringBuilder("{\"txn\":\"hb-").append(UUID.randomUUID()).append("\",\"events\":[]}"), 0);
        }
        int n = 0;
        int chars = 0;
        for (FederationStore.OutboxRow row : rows) {
            if (n > 0 && chars + row.event().length() > BATCH_CHARS) {
                break;
            }
            chars += row.event().length() + 1;
            n++;
        }
        long first = rows.getFirst().seq();
        long last = rows.get(n - 1).seq();
        StringBuilder json = new StringBuilder(chars + 200).append("{\"txn\":\"").append(self).append('-').append(boot)
                .append('-').append(first).append('-').append(last).append("\",\"run\":\"").append(boot)
                .append("\",\"last\":").append(last);
        if (previous != null) {
            json.append(",\"prev\":").append(previous.last());
        }
        // The events are JSON already (signed once, stored as text): spliced in, not parsed again.
        json.append(",\"events\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append(rows.get(i).event());
        }
        return post(link, json.append("]}"), last);
    }

    private PeerLink.Batch post(PeerLink link, StringBuilder json, long last) {
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<FederationHttp.Answer> answer = http.postAsync(link.url() + RELAY_PATH, body, RELAY_PATH);
        answer.whenComplete((r, e) -> link.wake());
        return new PeerLink.Batch(last, answer);
    }

    /** Handles the answer to the oldest batch in flight (null: a transport error). */
    private PeerLink.Outcome answered(PeerLink link, PeerLink.Batch batch, FederationHttp.Answer r) {
        if (r == null) {
            return PeerLink.Outcome.FAILED;
        }
        switch (r.status()) {
            case 200 -> {
                if (batch.last() > 0) {
                    long before = link.acked();
                    link.acked(batch.last());
                    if (link.claimAckDelete()) {
                        core.persistLater(FederationStore.ack(link, before));
                    }
                    warnRejected(link, r.body());
                }
                return PeerLink.Outcome.DELIVERED;
            }
            case 429 -> {
                link.retryAfter(r.retryAfterSeconds());
                return PeerLink.Outcome.THROTTLED;
            }
            default -> {
                LOG.warn("link {}: relay answered {} {}", link.name(), r.status(), r.body());
                return r.status() >= 500 ? PeerLink.Outcome.FAILED : PeerLink.Outcome.REFUSED;
            }
        }
    }

    /** Logs the events the peer refused; the answer is parsed only when its {@code rejected} may hold any. */
    private static void warnRejected(PeerLink link, String body) {
        if (!body.contains("\"rejected\"") || body.contains("\"rejected\":[]")) {
            return;
        }
        JsonNode answer = FederationHttp.parse(body);
        if (answer != null && !answer.path("rejected").isEmpty()) {
            LOG.warn("link {}: peer rejected {}", link.name(), answer.path("rejected"));
        }
    }
}
