package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.core.Inbox;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The envelopes of queue entries, the same instance for all the IRC connections they go to. An entry this
 * server committed carries its envelope, shared by every recipient: nothing to parse. One restored from
 * the store after a restart has only its bytes, parsed once for all its recipients here: a small table by
 * seq, without locks; a slot is used only when it holds the very same bytes, so a collision or a race
 * costs one more parse, never a wrong envelope. The envelope is shared: its readers only read it.
 */
final class DecodedEntries {
    private static final int SLOTS = 1024;
    private static final ObjectReader READER = Json.MAPPER.readerFor(Envelope.class);

    private record Decoded(byte[] json, Envelope envelope) {}

    private final AtomicReferenceArray<Decoded> slots = new AtomicReferenceArray<>(SLOTS);

    Envelope decode(Inbox.Entry entry) throws IOException {
        if (entry.envelope() != null) {
            return entry.envelope();
        }
        int slot = (int) (entry.seq() & (SLOTS - 1));
        Decoded known = slots.getAcquire(slot);
        if (known != null && known.json() == entry.json()) {
            return known.envelope();
        }
        Envelope envelope = READER.readValue(entry.json());
        slots.setRelease(slot, new Decoded(entry.json(), envelope));
        return envelope;
    }
}
