package chatd.server.core;

import chatd.protocol.Envelope;

/**
 * Outbound side of federation as the core sees it: called under the state lock, in event order, for
 * every event other servers may need. An implementation records durable outbound work through
 * {@link Changes#persist} so it commits with the event. {@link #NONE} when federation is off.
 */
public interface Relay {
    /** A channel event (message, JOIN, PART, KICK, TOPIC, MODE) already delivered locally. */
    void channelEvent(Channel channel, Envelope event, Changes changes);

    /** A message for a user on another server; false when that server is not reachable in the network. */
    boolean directMessage(String server, Envelope event, Changes changes);

    /** A user event (NICK, QUIT, AWAY) for every server that shares a channel with the user. */
    void userEvent(Session session, Envelope event, Changes changes);

    Relay NONE = new Relay() {
        @Override
        public void channelEvent(Channel channel, Envelope event, Changes changes) {}

        @Override
        public boolean directMessage(String server, Envelope event, Changes changes) {
            return false;
        }

        @Override
        public void userEvent(Session session, Envelope event, Changes changes) {}
    };
}
