package chatd.server.core;

/** Someone who can be in a channel: a local {@link Session} or a {@link RemoteUser} of a linked server. */
public sealed interface Member permits Session, RemoteUser {
    /** The nick as written on the wire: {@code nick} when local, {@code nick@server} when remote. */
    String displayName();

    /** The name of the server the member is on. */
    String server(ChatState state);

    /** {@code online}, {@code idle}, {@code away}, {@code offline} or {@code unreachable}. */
    String presence(long nowMillis);

    String away();
}
