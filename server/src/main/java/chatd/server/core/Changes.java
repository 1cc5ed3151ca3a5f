package chatd.server.core;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.protocol.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Everything one operation changes: durable mutations and the envelopes it delivers, in order. Built
 * under the state lock, then committed as one journal batch; deliveries reach inboxes after the commit,
 * so nothing is seen that could still be lost.
 */
public final class Changes {
    public static final String DM_PREFIX = "dm:";
    public static final char DM_SEPARATOR = ',';

    private final ChatState state;
    private final PollTimer answers;
    private final long nowMillis;
    private final List<Mutation> mutations = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private String createdId;
    /** nowMillis as ISO-8601, made once: a welcome burst stamps 15 envelopes with the same time. */
    private String nowTs;

    /** A time and its ISO-8601 form. */
    private record Stamp(long millis, String text) {}

    /** The last time formatted, by any operation: under load most operations share their millisecond. */
    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    Changes(ChatState state, PollTimer answers, long nowMillis) {
        this.state = state;
        this.answers = answers;
        this.nowMillis = nowMillis;
    }

    public long nowMillis() {
        return nowMillis;
    }

    public String nowTs() {
        if (nowTs == null) {
            Stamp last = lastStamp;
            if (last.millis() != nowMillis) {
                last = new Stamp(nowMillis, Instant.ofEpochMilli(nowMillis).toString());
                lastStamp = last;
            }
            nowTs = last.text();
        }
        return nowTs;
    }

    public void persist(Mutation mutation) {
        mutations.add(mutation);
    }

    /** Runs after the batch is committed (on the journal's thread). */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /** The id of the message this operation created, answered to the caller. */
    public String createdId() {
        return createdId;
    }

    /**
     * Stamps an envelope (id, ts, origin unless already set) and queues it for the given recipients.
     * Answers the stamped envelope.
     */
    public Envelope deliver(Envelope envelope, String historyKey, Collection<Mutation.Recipient> recipients) {
        Envelope stamped = envelope.withIdentity(
                envelope.id() != null ? envelope.id() : UUID.randomUUID().toString(),
                envelope.ts() != null ? envelope.ts() : nowTs(),
                envelope.from(),
                envelope.origin() != null ? envelope.origin() : state.serverName());
        if (recipients.isEmpty() && historyKey == null) {
            return stamped;
        }
        long seq = state.nextSeq();
        byte[] json = Json.writeBytes(stamped);
        List<Mutation.Recipient> to = List.copyOf(recipients);
        mutations.add(new Mutation.StoreMessage(seq, stamped.id(), historyKey, stamped.command(), nowMillis, json, to));
        afterCommit.add(() -> {
            List<Runnable> due = new ArrayList<>();
            for (Mutation.Recipient r : to) {
                Session s = state.sessionById(r.sessionId());
                if (s != null) {
                    s.inbox().append(new Inbox.Entry(seq, r.clientId(), json, stamped), due);
                }
            }
            answers.answer(due);
        });
        return stamped;
    }

    /** Marks the stamped envelope's id as the one answered to the caller. */
    public Envelope created(Envelope stamped) {
        createdId = stamped.id();
        return stamped;
    }

    /** Delivers to every local member session of a channel (and, through the relay, to remote ones). */
    public Envelope toChannel(Channel channel, Envelope envelope) {
        return toChannel(channel, envelope, null);
    }

    /** As {@link #toChannel(Channel, Envelope)}, leaving out one session (e.g. for +n echoes). */
    public Envelope toChannel(Channel channel, Envelope envelope, Session except) {
        List<Mutation.Recipient> recipients = new ArrayList<>(channel.size());
        for (Membership m : channel.members()) {
            if (m.member() instanceof Session s && s != except) {
                recipients.add(new Mutation.Recipient(s.id(), 0));
            }
        }
        Envelope stamped = deliver(envelope, channel.foldedName(), recipients);
        state.relay().channelEvent(channel, stamped, this);
        return stamped;
    }

    /** Delivers to one whole session (all its clients). */
    public Envelope toSession(Session session, Envelope envelope, String historyKey) {
        return deliver(envelope, historyKey, List.of(new Mutation.Recipient(session.id(), 0)));
    }

    /** Delivers to one client only (numerics and replies). */
    public Envelope toClient(Client client, Envelope envelope) {
        return deliver(envelope, null, List.of(new Mutation.Recipient(client.session().id(), client.id())));
    }

    /**
     * Who a DM's history belongs to: an account by its nick (reserved for it for ever), an anonymous session
     * by its id, so that whoever takes the nick after it never reads its conversations.
     */
    public static String dmParty(Session session) {
        return session.accountId() != null ? Names.fold(session.nick()) : "~" + session.id();
    }

    /**
     * The DM history key of two parties ({@link #dmParty}, or {@code nick@server} for a remote user), independent of
     * direction: {@code dm:a,b}. The separator occurs in no nick and no server name, so a key names one pair only.
     */
    public static String dmKey(String a, String b) {
        String x = Names.fold(a);
        String y = Names.fold(b);
        return x.compareTo(y) <= 0 ? DM_PREFIX + x + DM_SEPARATOR + y : DM_PREFIX + y + DM_SEPARATOR + x;
    }

    /** The other party of a DM key that {@code party} is part of. */
    static String dmPartner(String key, String party) {
        String pair = key.substring(DM_PREFIX.length());
        int comma = pair.indexOf(DM_SEPARATOR);
        String first = pair.substring(0, comma);
        return first.equals(party) ? pair.substring(comma + 1) : first;
    }

    List<Mutation> mutations() {
        return mutations;
    }

    Runnable afterCommitAll() {
        List<Runnable> actions = List.copyOf(afterCommit);
        return () -> actions.forEach(Runnable::run);
    }
}
