package chatd.server.http;

import chatd.protocol.Envelope;
import chatd.protocol.Json;
import chatd.server.core.ChatError;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads and checks request bodies before anything else sees them: size limit (413), well-formed UTF-8
 * JSON (400 invalid_json), and the shape of each field (400 invalid_request). Text never contains NUL,
 * CR or LF: a line is a line.
 */
public final class RequestBodies {
    private static final Pattern COMMAND = Pattern.compile("[A-Za-z]{1,20}|[0-9]{3}");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int MAX_TARGET = 200;
    private static final long DRAIN_LIMIT = 1 << 20;
    private static final int MAX_PARAMS = 15;
    private static final int MAX_LINES = 100;
    private static final int MAX_FIELD = 4096;

    private final int maxBytes;

    RequestBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body as a JSON object. */
    JsonNode object(Context ctx) {
        try {
            return object(ctx.req().getContentLengthLong(), ctx.req().getInputStream());
        } catch (IOException e) {
            throw ApiErrors.invalid("could not read the request body");
        }
    }

    /** A body of {@code declared} bytes (-1: unknown) as a JSON object. */
    JsonNode object(long declared, InputStream body) {
        return jsonObject(read(declared, body));
    }

    /** Bytes as a JSON object, or a 400 that says what is wrong and where (any route reading JSON uses it). */
    public static JsonNode jsonObject(byte[] bytes) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw MalformedJson.of(e);
        } catch (IOException e) {
            throw ApiErrors.invalid("malformed JSON: unreadable body");
        }
        if (node == null || node.isMissingNode()) {
            throw MalformedJson.notAnObject("an empty body");
        }
        if (!node.isObject()) {
            throw MalformedJson.notAnObject(node.isArray() ? "an array" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    /** A required short string field. */
    static String text(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiErrors.invalid("missing field '" + field + "'");
        }
        if (!value.isTextual()) {
            throw ApiErrors.invalid("field '" + field + "' must be a string");
        }
        String s = value.textValue();
        checkText(field, s, maxLength);
        return s;
    }

    static String optionalText(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : text(body, field, maxLength);
    }

    /** An envelope sent by a client (SPEC §2, §5), checked field by field. */
    Envelope envelope(JsonNode body) {
        String command = text(body, "command", 20);
        if (!COMMAND.matcher(command).matches()) {
            throw ApiErrors.invalid("field 'command' must be an IRC command name");
        }
        String id = optionalText(body, "id", 36);
        if (id != null && !UUID.matcher(id).matches()) {
            throw ApiErrors.invalid("field 'id' must be a UUID");
        }
        String to = optionalText(body, "to", MAX_TARGET);
        List<String> params = new ArrayList<>();
        JsonNode p = body.get("params");
        if (p != null && !p.isNull()) {
            if (!p.isArray()) {
                throw ApiErrors.invalid("field 'params' must be an array of strings");
            }
            if (p.size() > MAX_PARAMS) {
                throw ApiErrors.invalid("field 'params' has more than " + MAX_PARAMS + " entries");
            }
            for (JsonNode item : p) {
                if (!item.isTextual()) {
                    throw ApiErrors.invalid("field 'params' must be an array of strings");
                }
                checkText("params", item.textValue(), MAX_FIELD);
                params.add(item.textValue());
            }
        }
        JsonNode b = body.get("body");
        if (b != null && !b.isNull()) {
            if (b.isArray()) {
                if (b.size() > MAX_LINES) {
                    throw ApiErrors.invalid("field 'body' has more than " + MAX_LINES + " lines");
                }
                for (JsonNode line : b) {
                    if (!line.isTextual()) {
                        throw ApiErrors.invalid("field 'body' must be an array of strings or an object");
                    }
                    checkText("body", line.textValue(), MAX_FIELD);
                }
            } else if (!b.isObject()) {
                throw ApiErrors.invalid("field 'body' must be an array of strings or an object, never a bare string");
            }
        } else {
            b = null;
        }
        JsonNode meta = body.get("meta");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            throw ApiErrors.invalid("field 'meta' must be an object");
        }
        return new Envelope(id, null, command, null, to, params, b, null, meta == null || meta.isNull() ? null : meta);
    }

    private byte[] read(long declared, InputStream body) {
        try (InputStream in = body) {
            if (declared > maxBytes) {
                // Read a moderate excess before refusing: closing on unread bytes resets the connection,
                // and the client may lose the 413 with it.
                if (declared <= DRAIN_LIMIT) {
                    in.skipNBytes(declared);
                }
                throw tooLarge();
            }
            if (declared >= 0) {
                // Into an array of the declared size: readNBytes(n) would allocate (and zero) 16 KiB for
                // the few hundred bytes of a chat line.
                byte[] bytes = new byte[(int) declared];
                if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
                    throw ApiErrors.invalid("could not read the request body");
                }
                return bytes;
            }
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ApiErrors.invalid("could not read the request body");
        }
    }

    private ChatError tooLarge() {
        return new ChatError(ChatError.Kind.TOO_LARGE, "request body larger than " + maxBytes + " bytes");
    }

    private static void checkText(String field, String s, int maxLength) {
        if (s.length() > maxLength) {
            throw ApiErrors.invalid("field '" + field + "' is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                throw ApiErrors.invalid("field '" + field + "' contains NUL, CR or LF");
            }
        }
    }
}
