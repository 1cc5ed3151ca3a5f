package chatd.cli.sign;

import chatd.cli.net.PrivateFile;
import chatd.protocol.ClientSignature;
import chatd.protocol.Commands;
import chatd.protocol.Ed25519;
import chatd.protocol.Envelope;
import chatd.protocol.Names;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * This identity's signing key (docs/SIGNING.md): made on first use, kept in a key file that only its
 * owner may read (the 32-byte Ed25519 seed, base64), and used to sign every PRIVMSG and NOTICE.
 */
public final class Signer {
    private static final Set<String> SIGNED = Set.of(Commands.PRIVMSG, Commands.NOTICE);

    private final Ed25519.SigningKey key;
    private final byte[] publicKey;

    private Signer(Ed25519.KeyPair pair) {
        this.key = new Ed25519.SigningKey(pair.privateKey());
        this.publicKey = pair.publicKey();
    }

    /** The key in {@code file}, or a new one written there (mode 600) when the file does not exist. */
    public static Signer loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String seed = Files.readString(file, StandardCharsets.US_ASCII).strip();
                return new Signer(Ed25519.fromPrivate(Base64.getDecoder().decode(seed)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key file " + file, e);
        }
        Ed25519.KeyPair pair = Ed25519.generate(new SecureRandom());
        PrivateFile.write(file, (Base64.getEncoder().encodeToString(pair.privateKey()) + "\n").getBytes(StandardCharsets.US_ASCII));
        return new Signer(pair);
    }

    /**
     * Where the key of {@code nick} on {@code serverUrl} lives: {@code keys/<host_port>/<nick>.key} next to
     * the login file, so every identity (server and nick) has its own key.
     */
    public static Path keyFile(Path configDir, String serverUrl, String nick) {
        String server = serverUrl.replaceFirst("^[a-z]+://", "").replaceAll("[^A-Za-z0-9.-]", "_");
        return configDir.resolve("keys").resolve(server).resolve(Names.fold(nick) + ".key");
    }

    public String publicKey() {
        return Ed25519.encodeKey(publicKey);
    }

    /** PRIVMSG and NOTICE come back signed ({@code meta.alg/sig/key}); other commands as they were. */
    public Envelope sign(Envelope e) {
        return SIGNED.contains(e.command()) ? ClientSignature.sign(e, key, publicKey) : e;
    }

    /** The PUBKEY announcement of this key to a channel or a user. */
    public Envelope announcement(String to) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("alg", ClientSignature.ALG).put("key", publicKey());
        return new Envelope(null, null, Commands.PUBKEY, null, to, null, body, null, null);
    }
}
