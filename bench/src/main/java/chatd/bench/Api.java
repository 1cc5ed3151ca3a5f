package chatd.bench;

import chatd.protocol.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;

/** The few API calls the scenarios make, over {@link HttpConn}, with bodies written by hand. */
final class Api {
    static final String HEALTH = "/.well-known/healthcheck.json";

    private Api() {}

    /** One benchmark user: a session with one client, its token and a connection for its commands. */
    static final class User {
        final int index;
        final String nick;
        final String token;
        final HttpConn conn;

        User(int index, String nick, String token, HttpConn conn) {
            this.index = index;
            this.nick = nick;
            this.token = token;
            this.conn = conn;
        }

        HttpConn.Response command(String json) throws IOException {
            return conn.post("/api/v1/messages", token, json);
        }

        void join(String channel) throws IOException {
            HttpConn.Response r = command("{\"command\":\"JOIN\",\"to\":\"" + channel + "\"}");
            if (!r.ok()) {
                throw new IOException("JOIN " + channel + " as " + nick + ": " + r.status() + " " + r.text());
            }
        }

        HttpConn.Response privmsg(String channel, String text) throws IOException {
            return command(privmsgBody(channel, text));
        }
    }

    static String privmsgBody(String channel, String text) {
        return "{\"command\":\"PRIVMSG\",\"to\":\"" + channel + "\",\"body\":[\"" + text + "\"]}";
    }

    static String sessionBody(String nick) {
        return "{\"nick\":\"" + nick + "\"}";
    }

    /** POST /api/v1/session; the user keeps {@code conn} for its commands. */
    static User createSession(HttpConn conn, int index, String nick) throws IOException {
        HttpConn.Response r = conn.post("/api/v1/session", null, sessionBody(nick));
        if (r.status() != 201) {
            throw new IOException("POST /api/v1/session " + nick + ": " + r.status() + " " + r.text());
        }
        JsonNode n = Json.MAPPER.readTree(r.body());
        return new User(index, nick, n.path("token").asText(), conn);
    }

    static User createSession(URI url, int index, String nick) throws IOException {
        return createSession(new HttpConn(url, 120_000), index, nick);
    }

    /** Polls once with timeout 0 from {@code after} and acknowledges what came; answers the new cursor. */
    static long drain(User u, long after) throws IOException {
        long cursor = after;
        while (true) {
            HttpConn.Response r = u.conn.get("/api/v1/messages?after=" + cursor + "&timeout=0&limit=1000", u.token);
            if (!r.ok()) {
                throw new IOException("poll as " + u.nick + ": " + r.status() + " " + r.text());
            }
            JsonNode n = Json.MAPPER.readTree(r.body());
            long last = n.path("last_id").asLong(cursor);
            if (last == cursor) {
                return cursor;
            }
            cursor = last;
        }
    }
}
