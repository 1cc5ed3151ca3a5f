package chatd.server.testing;

import chatd.cli.api.ApiClient;
import chatd.protocol.Envelope;
import java.util.List;

/** Reading a client's queue to its end, as a user's client does after being away. */
public final class Drain {
    private Drain() {}

    /** Polls from {@code cursor} until nothing is left, adding the PRIVMSG ids to {@code ids}; answers the final cursor. */
    public static long privmsgIds(ApiClient client, long cursor, List<String> ids) {
        while (true) {
            ApiClient.Poll p = client.poll(cursor, 0, 200);
            if (p.messages().isEmpty()) {
                return cursor;
            }
            for (Envelope e : p.messages()) {
                if (e.command().equals("PRIVMSG")) {
                    ids.add(e.id());
                }
            }
            cursor = p.lastId();
        }
    }
}
