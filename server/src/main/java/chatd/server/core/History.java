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
        Bounds from = bounds(key, q.from());
        if (from == null) {
            return List.of();
        }
        Bounds all = new Bounds(0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
        return switch (q.kind()) {
            case BEFORE -> store.history(key, all.below(from).range(limit, true, q.commands()));
            case AFTER -> store.history(key, all.above(from).range(limit, false, q.commands()));
            case LATEST -> store.history(key, (q.from() instanceof Ref.Open ? all : all.above(from)).range(limit, true, q.commands()));
            case AROUND -> {
                int before = (limit - 1) / 2;
                List<HistoryReader.Stored> out = new ArrayList<>();
                if (before > 0) {
                    out.addAll(store.history(key, all.below(from).range(before, true, q.commands())));
                }
                out.addAll(store.history(key, all.atOrAbove(from).range(limit - out.size(), false, q.commands())));
                yield out;
            }
            case BETWEEN -> {
                Bounds to = bounds(key, q.to());
                if (to == null) {
                    yield List.of();
                }
                boolean forward = !from.after(to);
                Bounds window = forward ? all.above(from).below(to) : all.above(to).below(from);
                yield store.history(key, window.range(limit, !forward, q.commands()));
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

    /** A reference as a point (a position or a time); null for a message id not found. */
    private Bounds bounds(String key, Ref ref) {
        return switch (ref) {
            case Ref.Seq s -> Bounds.at(s.seq(), Long.MIN_VALUE);
            case Ref.Time t -> Bounds.at(-1, t.at().toEpochMilli());
            case Ref.Open o -> Bounds.at(Long.MAX_VALUE, Long.MIN_VALUE);
            case Ref.MessageId m -> {
                OptionalLong seq = store.seqOf(key, m.id());
                yield seq.isPresent() ? Bounds.at(seq.getAsLong(), Long.MIN_VALUE) : null;
            }
        };
    }

    /**
     * Exclusive bounds by position and by time. As a point (from {@link #at}) only one of the two is set:
     * a position ({@code afterSeq}, time unset) or a time ({@code afterMillis}, position -1).
     */
    private record Bounds(long afterSeq, long beforeSeq, long afterMillis, long beforeMillis) {
        static Bounds at(long seq, long millis) {
            return new Bounds(seq, seq, millis, millis);
        }

        private boolean isTime() {
            return afterSeq < 0;
        }

        Bounds above(Bounds p) {
            return p.isTime() ? new Bounds(afterSeq, beforeSeq, p.afterMillis, beforeMillis)
                    : new Bounds(p.afterSeq, beforeSeq, afterMillis, beforeMillis);
        }

        Bounds atOrAbove(Bounds p) {
            return p.isTime() ? new Bounds(afterSeq, beforeSeq, p.afterMillis - 1, beforeMillis)
                    : new Bounds(p.afterSeq - 1, beforeSeq, afterMillis, beforeMillis);
        }

        Bounds below(Bounds p) {
            return p.isTime() ? new Bounds(afterSeq, beforeSeq, afterMillis, p.beforeMillis)
                    : new Bounds(afterSeq, p.beforeSeq, afterMillis, beforeMillis);
        }

        /** Whether this point comes after another (two points of different kinds are taken in the order given). */
        boolean after(Bounds p) {
            if (isTime() != p.isTime()) {
                return false;
            }
            return isTime() ? afterMillis > p.afterMillis : afterSeq > p.afterSeq;
        }

        HistoryReader.Range range(int limit, boolean newest, Set<String> commands) {
            return new HistoryReader.Range(afterSeq, beforeSeq, afterMillis, beforeMillis, limit, newest, commands);
        }
    }
}
