package chatd.server.core;

import chatd.protocol.Envelope;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IRCv3 MONITOR: who watches which nick, and the 730/731 notices when a watched nick comes online (a
 * session takes it) or goes (the session ends or changes nick). Local nicks only. Guarded by the state
 * lock, like the rest of {@link ChatState}; in memory only (a client sets its list again on reconnect).
 */
public final class Monitoring {
    /** Nicks one session may watch (ISUPPORT MONITOR=). */
    public static final int LIMIT = 100;

    /** folded nick → watching sessions */
    private final Map<String, Set<Session>> watchers = new HashMap<>();
    /** session id → its list, folded nick → nick as the client wrote it */
    private final Map<Long, Map<String, String>> lists = new HashMap<>();

    /** The session's list, in the order given. */
    public List<String> list(Session watcher) {
        return List.copyOf(lists.getOrDefault(watcher.id(), Map.of()).values());
    }

    /** Adds a nick; false when the list is full. */
    public boolean add(Session watcher, String nick) {
        Map<String, String> list = lists.computeIfAbsent(watcher.id(), id -> new LinkedHashMap<>());
        String folded = Names.fold(nick);
        if (!list.containsKey(folded) && list.size() >= LIMIT) {
            return false;
        }
        list.putIfAbsent(folded, nick);
        watchers.computeIfAbsent(folded, k -> new java.util.LinkedHashSet<>()).add(watcher);
        return true;
    }

    public void remove(Session watcher, String nick) {
        String folded = Names.fold(nick);
        Map<String, String> list = lists.get(watcher.id());
        if (list != null) {
            list.remove(folded);
        }
        Set<Session> set = watchers.get(folded);
        if (set != null && set.remove(watcher) && set.isEmpty()) {
            watchers.remove(folded);
        }
    }

    public void clear(Session watcher) {
        for (String nick : list(watcher)) {
            remove(watcher, nick);
        }
        lists.remove(watcher.id());
    }

    /** The sessions watching a nick (IRCv3 extended-monitor also tells them of its AWAY and SETNAME). */
    public Set<Session> watchers(String nick) {
        return Set.copyOf(watchers.getOrDefault(Names.fold(nick), Set.of()));
    }

    /**
     * Delivers a user's change to its watchers that do not already get it as neighbours, flagged
     * {@code meta.monitor} so a transport shows it only to clients that asked (extended-monitor).
     */
    public void toWatchers(Changes changes, Session subject, Set<Session> alreadyTold, Envelope event) {
        List<Mutation.Recipient> recipients = new ArrayList<>();
        for (Session watcher : watchers(subject.nick())) {
            if (!alreadyTold.contains(watcher) && watcher != subject) {
                recipients.add(new Mutation.Recipient(watcher.id(), 0));
            }
        }
        if (!recipients.isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode meta = chatd.protocol.Json.MAPPER.createObjectNode();
            meta.put(MONITOR_FLAG, true);
            changes.deliver(new Envelope(null, null, event.command(), event.from(), event.to(), event.params(),
                    event.body(), null, meta), null, recipients);
        }
    }

    /** The {@code meta} flag of an event delivered only because the recipient monitors its subject. */
    public static final String MONITOR_FLAG = "monitor";

    /** A session took {@code session.nick()}: 730 to its watchers. */
    void online(ChatState state, Changes changes, Session session) {
        notify(state, changes, session.nick(), Numeric.RPL_MONONLINE, mask(state, session));
    }

    /** {@code nick} is no longer in use: 731 to its watchers. */
    void offline(ChatState state, Changes changes, String nick) {
        notify(state, changes, nick, Numeric.RPL_MONOFFLINE, nick);
    }

    /** The session ended: its own list goes too. */
    void ended(Session session) {
        clear(session);
    }

    /** {@code nick!user@server}, as MONITOR lists online nicks. */
    public static String mask(ChatState state, Session session) {
        return session.nick() + "!" + session.nick() + "@" + state.serverName();
    }

    private void notify(ChatState state, Changes changes, String nick, Numeric numeric, String text) {
        Set<Session> set = watchers.get(Names.fold(nick));
        if (set == null) {
            return;
        }
        for (Session watcher : new ArrayList<>(set)) {
            changes.toSession(watcher, Envelope.of(numeric.code(), state.serverName(), watcher.nick(), List.of(),
                    List.of(text)), null);
        }
    }
}
