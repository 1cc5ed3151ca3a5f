package chatd.server.irc;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.core.Inbox;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The envelopes of recent queue entries, decoded once for all the IRC connections they go to: an entry's
 * bytes are shared by every recipient, and a channel message to ten IRC clients was parsed ten times
 * (the largest item of a receiving gateway's profile in {@code bin/bench irc-relay}). A small table by
 * seq, without locks; a slot is used only when it holds the very same bytes, so a collision or a race
 * costs one more parse, never a wrong envelope. The decoded envelope is shared: its readers only read it.
 */
final class DecodedEntries {
    private static final int SLOTS = 1024;

    private record Decoded(byte[] json, Envelope envelope) {}

    private final AtomicReferenceArray<Decoded> slots = new AtomicReferenceArray<>(SLOTS);

    Envelope decode(Inbox.Entry entry) throws IOException {
        int slot = (int) (entry.seq() & (SLOTS - 1));
        Decoded known = slots.getAcquire(slot);
        if (known != null && known.json() == entry.json()) {
            return known.envelope();
        }
        Envelope envelope = Json.MAPPER.readValue(entry.json(), Envelope.class);
        slots.setRelease(slot, new Decoded(entry.json(), envelope));
        return envelope;
    }
}
