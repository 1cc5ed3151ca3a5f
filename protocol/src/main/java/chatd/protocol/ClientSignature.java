package chatd.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Client signatures of messages (SPEC §5, docs/SIGNING.md): the sender signs the RFC 8785 form of
 * {@code {body, command, params, to}} with its Ed25519 key and sends {@code meta = {alg, sig, key}};
 * servers relay it untouched, receivers verify it. The web client (web/signing.js) implements the
 * same rules; protocol/src/test/resources/signing-vectors.json keeps the two byte for byte equal.
 *
 * <p>Two details make a signature survive delivery: {@code to} is signed ASCII-folded (the server
 * delivers the channel's or nick's own spelling, SPEC §1), and a DM to {@code nick@server} arrives on
 * that server with the bare {@code nick}, so a verifier also tries {@code to@itsOwnServer}.
 */
public final class ClientSignature {
    public static final String ALG = "ed25519";

    private ClientSignature() {}

    /** The JSON value that is signed: absent params are {@code []}, an absent body is null. */
    public static ObjectNode signedForm(String command, String to, List<String> params, JsonNode body) {
        ObjectNode form = JsonNodeFactory.instance.objectNode();
        form.set("body", body == null ? NullNode.getInstance() : body);
        form.put("command", command);
        form.set("params", Envelope.lines(params == null ? List.of() : params));
        form.put("to", to == null ? null : Names.fold(to));
        return form;
    }

    /** The canonical bytes a sender signs for {@code e}. */
    public static byte[] signedBytes(Envelope e) {
        return Jcs.canonicalize(signedForm(e.command(), e.to(), e.params(), e.body()));
    }

    /** {@code e} with {@code meta.alg}, {@code meta.sig} and {@code meta.key} set (other meta members kept). */
    public static Envelope sign(Envelope e, Ed25519.SigningKey key, byte[] publicKey) {
        ObjectNode meta = e.meta() != null && e.meta().isObject()
                ? ((ObjectNode) e.meta()).deepCopy() : JsonNodeFactory.instance.objectNode();
        meta.put("alg", ALG);
        meta.put("sig", Ed25519.encodeSignature(key.sign(signedBytes(e))));
        meta.put("key", Ed25519.encodeKey(publicKey));
        return new Envelope(e.id(), e.ts(), e.command(), e.from(), e.to(), e.params(), e.body(), e.origin(), meta);
    }

    /** Whether {@code e} carries a signature at all (any algorithm). */
    public static boolean isSigned(Envelope e) {
        return e.meta() != null && e.meta().path("sig").isTextual();
    }

    /** The key the sender attached in {@code meta.key}, or null. */
    public static String attachedKey(Envelope e) {
        return e.meta() != null && e.meta().path("key").isTextual() ? e.meta().path("key").textValue() : null;
    }

    /**
     * Whether the delivered {@code e} is signed by {@code publicKeyBase64}. Never throws: a malformed
     * key, signature or message is simply "not verified", so a bad signature cannot break display.
     */
    public static boolean verifies(Envelope e, String publicKeyBase64, String localServer) {
        if (!isSigned(e) || !ALG.equals(e.meta().path("alg").asText()) || publicKeyBase64 == null) {
            return false;
        }
        try {
            byte[] key = Ed25519.decodeKey(publicKeyBase64);
            byte[] sig = Ed25519.decodeSignature(e.meta().path("sig").textValue());
            for (String to : signedTargets(e, localServer)) {
                if (Ed25519.verify(key, Jcs.canonicalize(signedForm(e.command(), to, e.params(), e.body())), sig)) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /**
     * The targets the sender may have signed: the delivered one, and for a DM from another server
     * the recipient's network-wide name {@code nick@localServer}.
     */
    static List<String> signedTargets(Envelope e, String localServer) {
        List<String> out = new ArrayList<>(2);
        out.add(e.to());
        boolean remoteSender = e.from() != null && e.from().indexOf('@') >= 0;
        if (remoteSender && e.to() != null && !Names.isChannel(e.to()) && e.to().indexOf('@') < 0 && localServer != null) {
            out.add(e.to() + "@" + localServer);
        }
        return out;
    }

    /** The trust-on-first-use identity of a sender: {@code nick@server}, a bare (local) nick on {@code localServer}. */
    public static String identity(String from, String localServer) {
        if (from == null) {
            return null;
        }
        return Names.fold(from.indexOf('@') >= 0 ? from : from + "@" + localServer);
    }
}
