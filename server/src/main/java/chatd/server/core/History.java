package chatd.server.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * History queries, the same for HTTP ({@code GET /history}) and IRC ({@code CHATHISTORY}): a reference
 * point and a direction, resolved into a {@link HistoryReader.Range} of the store. Bounds are exclusive,
 * except the centre of {@link Kind#AROUND}. The caller's access was checked before (a key is only handed
 * out for a channel the caller is on, or its own DMs).
 */
public final class History {
    /** The most messages one query answers (ISUPPORT {@code CHATHISTORY}). */
    public static final int MAX_LIMIT = 1000;
    /** What chat clients replay: the messages, not the channel's other events. */
    public static final Set<String> MESSAGES = Set.of("PRIVMSG", "NOTICE");

    /** A point in a target's history. */
    public sealed interface Ref {
        /** A position ({@code seq} of GET /history). */
        record Seq(long seq) implements Ref {}

        /** A message id ({@code msgid}). */
        record MessageId(String id) implements Ref {}

        /** A time: messages stored before or after it. */
        record Time(Instant at) implements Ref {}

        /** No bound ({@code *}): the newest end. */
        record Open() implements Ref {}
    }

    public enum Kind {
        /** The newest {@code limit} before {@code from}. */
        BEFORE,
        /** The oldest {@code limit} after {@code from}. */
        AFTER,
        /** The newest {@code limit} after {@code from} (or of all, when open). */
        LATEST,
        /** Up to {@code limit} centred on {@code from}: half before it, it and the rest after. */
        AROUND,
        /** Strictly between {@code from} and {@code to}, counted from {@code from}'s side. */
        BETWEEN
    }

    /** @param to only for BETWEEN */
    public record Query(Kind kind, Ref from, Ref to, int limit, Set<String> commands) {}

    /** A target with recent activity (IRCv3 CHATHISTORY TARGETS): a channel name or the other party of a DM. */
    public record Target(String name, Instant last) {}

    private final HistoryReader store;

    History(HistoryReader store) {
        this.store = store;
    }

    /** The messages of the query, oldest first; empty when a message id is not (or no longer) in the target's history. */
    List<HistoryReader.Stored> read(String key, Query q, int limit) {
        Point from = point(key, q.from());
        if (from == null) {
            return List.of();
        }
        Set<String> only = q.commands();
        return switch (q.kind()) {
            case BEFORE -> store.history(key, Window.ALL.below(from).range(limit, true, only));
            case AFTER -> store.history(key, Window.ALL.above(from).range(limit, false, only));
            case LATEST -> store.history(key, (from == Point.END ? Window.ALL : Window.ALL.above(from)).range(limit, true, only));
            case AROUND -> {
                int before = (limit - 1) / 2;
                List<HistoryReader.Stored> out = new ArrayList<>();
                if (before > 0) {
                    out.addAll(store.history(key, Window.ALL.below(from).range(before, true, only)));
                }
                out.addAll(store.history(key, Window.ALL.above(from.justBefore()).range(limit - out.size(), false, only)));
                yield out;
            }
            case BETWEEN -> {
                Point to = point(key, q.to());
                if (to == null) {
                    yield List.of();
                }
                boolean forward = !from.isAfter(to);
                Window window = forward ? Window.ALL.above(from).below(to) : Window.ALL.above(to).below(from);
                yield store.history(key, window.range(limit, !forward, only));
            }
        };
    }

    /** See {@link HistoryReader#activity}. */
    List<HistoryReader.Activity> activity(List<String> channelKeys, String dmParty, Instant a, Instant b, int limit,
            Set<String> commands) {
        long lo = Math.min(a.toEpochMilli(), b.toEpochMilli());
        long hi = Math.max(a.toEpochMilli(), b.toEpochMilli());
        return store.activity(channelKeys, dmParty, lo, hi, limit, commands);
    }

    /** A reference as a point of the target's history; null for a message id that is not there. */
    private Point point(String key, Ref ref) {
        return switch (ref) {
            case Ref.Seq s -> Point.at(s.seq());
            case Ref.Time t -> Point.time(t.at().toEpochMilli());
            case Ref.Open o -> Point.END;
            case Ref.MessageId m -> {
                OptionalLong seq = store.seqOf(key, m.id());
                yield seq.isPresent() ? Point.at(seq.getAsLong()) : null;
            }
        };
    }

    /** A position ({@code seq}), or a time ({@code millis}, with {@code seq} unset). */
    private record Point(long seq, long millis) {
        private static final long NO_SEQ = Long.MIN_VALUE;
        /** After every message. */
        static final Point END = at(Long.MAX_VALUE);

        static Point at(long seq) {
            return new Point(seq, 0);
        }

        static Point time(long millis) {
            return new Point(NO_SEQ, millis);
        }

        boolean isTime() {
            return seq == NO_SEQ;
        }

        /** The point just before this one, so that a bound "above" it includes it. */
        Point justBefore() {
            return isTime() ? time(millis - 1) : at(seq - 1);
        }

        /** Whether this point comes after another; points of different kinds are taken in the order given. */
        boolean isAfter(Point other) {
            if (isTime() != other.isTime()) {
                return false;
            }
            return isTime() ? millis > other.millis : seq > other.seq;
        }
    }

    /** Exclusive bounds by position and by the time a message was stored. */
    private record Window(long afterSeq, long beforeSeq, long afterMillis, long beforeMillis) {
        static final Window ALL = new Window(0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);

        Window above(Point p) {
            return p.isTime() ? new Window(afterSeq, beforeSeq, p.millis(), beforeMillis) : new Window(p.seq(), beforeSeq, afterMillis, beforeMillis);
        }

        Window below(Point p) {
            return p.isTime() ? new Window(afterSeq, beforeSeq, afterMillis, p.millis()) : new Window(afterSeq, p.seq(), afterMillis, beforeMillis);
        }

        HistoryReader.Range range(int limit, boolean newest, Set<String> commands) {
            return new HistoryReader.Range(afterSeq, beforeSeq, afterMillis, beforeMillis, limit, newest, commands);
        }
    }
}
