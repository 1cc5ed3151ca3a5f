package chatd.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The one message shape of the protocol (SPEC §2): everything a server delivers and most of what a
 * client sends. {@code body} is an array of text lines or a structured object, never a bare string;
 * {@code meta} carries extensions such as client signatures and is relayed untouched.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
        String id,
        String ts,
        String command,
        String from,
        String to,
        List<String> params,
        JsonNode body,
        String origin,
        JsonNode meta) {

    public Envelope {
        params = params == null ? List.of() : List.copyOf(params);
    }

    /** A server-made envelope with text lines as its body. */
    public static Envelope of(String command, String from, String to, List<String> params, List<String> lines) {
        return new Envelope(null, null, command, from, to, params, lines == null ? null : lines(lines), null, null);
    }

    public static ArrayNode lines(List<String> lines) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(lines.size());
        lines.forEach(array::add);
        return array;
    }

    /** The body's text lines; empty when the body is absent or structured. */
    public List<String> bodyLines() {
        if (body == null || !body.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(body.size());
        body.forEach(line -> out.add(line.isTextual() ? line.textValue() : line.toString()));
        return out;
    }

    /** The first body line, or null. */
    public String firstLine() {
        List<String> lines = bodyLines();
        return lines.isEmpty() ? null : lines.getFirst();
    }

    public String param(int index) {
        return index < params.size() ? params.get(index) : null;
    }

    public Envelope withIdentity(String newId, String newTs, String newFrom, String newOrigin) {
        return new Envelope(newId, newTs, command, newFrom, to, params, body, newOrigin, meta);
    }

    public Envelope withTo(String newTo) {
        return new Envelope(id, ts, command, from, newTo, params, body, origin, meta);
    }

    public Envelope withCommand(String newCommand) {
        return new Envelope(id, ts, newCommand, from, to, params, body, origin, meta);
    }
}
