package chatd.cli.sign;

import chatd.protocol.ClientSignature;
import chatd.protocol.Envelope;
import java.util.List;
import java.util.function.Supplier;

/**
 * Judges each delivered message's signature against the {@link TrustStore} (the web client's
 * signing.js {@code judge} does the same): a sender's first key is trusted on first use; a valid
 * signature by another key is {@link Verdict#KEY_CHANGED} until the user runs {@code /trust}.
 */
public final class Verifier {
    /** What the user is shown before a message. */
    public enum Verdict {
        VERIFIED("✓"), UNSIGNED("·"), UNKNOWN_KEY("?"), BAD_SIGNATURE("✗ BAD SIGNATURE"), KEY_CHANGED("⚠ KEY CHANGED");

        private final String mark;

        Verdict(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    /** A verdict, the sender's identity, and (for KEY_CHANGED) the new key. */
    public record Judgement(Verdict verdict, String identity, String key) {}

    private final TrustStore trust;
    private final Supplier<String> localServer;

    public Verifier(TrustStore trust, Supplier<String> localServer) {
        this.trust = trust;
        this.localServer = localServer;
    }

    public String identity(String nick) {
        return ClientSignature.identity(nick, localServer.get());
    }

    public Judgement judge(Envelope e) {
        if (!ClientSignature.isSigned(e)) {
            return new Judgement(Verdict.UNSIGNED, null, null);
        }
        String server = localServer.get();
        String id = ClientSignature.identity(e.from(), server);
        List<String> known = trust.keys(id);
        for (String key : known) {
            if (ClientSignature.verifies(e, key, server)) {
                return new Judgement(Verdict.VERIFIED, id, null);
            }
        }
        String attached = ClientSignature.attachedKey(e);
        if (attached != null && !known.contains(attached) && ClientSignature.verifies(e, attached, server)) {
            if (!known.isEmpty()) {
                return new Judgement(Verdict.KEY_CHANGED, id, attached);
            }
            trust.add(id, attached);
            return new Judgement(Verdict.VERIFIED, id, null);
        }
        return new Judgement(known.isEmpty() && attached == null ? Verdict.UNKNOWN_KEY : Verdict.BAD_SIGNATURE, id, null);
    }

    /** A PUBKEY announcement: the first key is trusted quietly; answers the identity when it brings a different key. */
    public Judgement announced(Envelope e) {
        String key = e.body() == null ? null : e.body().path("key").textValue();
        String alg = e.body() == null ? null : e.body().path("alg").asText(ClientSignature.ALG);
        if (key == null || !ClientSignature.ALG.equals(alg) || e.from() == null) {
            return null;
        }
        String id = ClientSignature.identity(e.from(), localServer.get());
        List<String> known = trust.keys(id);
        if (known.isEmpty()) {
            trust.add(id, key);
            return null;
        }
        return known.contains(key) ? null : new Judgement(Verdict.KEY_CHANGED, id, key);
    }

    /** Whether the user should be warned about {@code key} now (not already warned about it). */
    public boolean warnOnce(Judgement changed) {
        return trust.offer(changed.identity(), changed.key());
    }

    /** {@code /trust nick[@server]}: answers the key now trusted, or null when no new key was seen. */
    public String accept(String nick) {
        return trust.accept(identity(nick));
    }

    /** Trusts this client's own key for its own identity, so its echoed lines verify. */
    public void trustOwn(String nick, String key) {
        trust.add(identity(nick), key);
    }
}
