package chatd.server.irc;

import chatd.protocol.Envelope;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The IRC lines of recent envelopes, rendered once per set of capabilities for all the connections they
 * go to: the receivers of a channel message mostly asked for the same capabilities. Keyed by the envelope
 * instance, which the queue entries ({@link DecodedEntries}) share between connections; without locks, a miss or a race
 * renders again. The lines are immutable values, shared as they are.
 */
final class RenderedLines {
    private static final int SLOTS = 1024;

    private record Rendered(Envelope envelope, Set<IrcCaps> caps, List<IrcLine> lines) {}

    private final IrcRenderer renderer;
    private final AtomicReferenceArray<Rendered> slots = new AtomicReferenceArray<>(SLOTS);

    RenderedLines(IrcRenderer renderer) {
        this.renderer = renderer;
    }

    IrcRenderer renderer() {
        return renderer;
    }

    /** As {@link IrcRenderer#render}. */
    List<IrcLine> render(Envelope e, Set<IrcCaps> caps) {
        int slot = System.identityHashCode(e) & (SLOTS - 1);
        Rendered known = slots.getAcquire(slot);
        // caps.equals first: a connection's caps are an EnumSet behind a view, and EnumSet compares bit sets
        if (known != null && known.envelope() == e && caps.equals(known.caps())) {
            return known.lines();
        }
        List<IrcLine> lines = List.copyOf(renderer.render(e, caps));
        slots.setRelease(slot, new Rendered(e, caps.isEmpty() ? EnumSet.noneOf(IrcCaps.class) : EnumSet.copyOf(caps), lines));
        return lines;
    }
}
