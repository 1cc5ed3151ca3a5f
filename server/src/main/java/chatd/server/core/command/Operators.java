package chatd.server.core.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server operators from configuration ({@code OPERATORS=name:password,...}): the credentials OPER checks.
 * None by default, so nobody can become an operator unless the administrator says so.
 */
public final class Operators {
    public static final Operators NONE = new Operators(Map.of());

    private final Map<String, byte[]> passwords;

    private Operators(Map<String, byte[]> passwords) {
        this.passwords = passwords;
    }

    /** Parses {@code name:password[,name:password...]}; throws IllegalArgumentException on a malformed entry. */
    public static Operators parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("expected name:password, got \"" + entry.strip() + "\"");
            }
            out.put(entry.substring(0, colon).strip(), entry.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        return new Operators(Map.copyOf(out));
    }

    /** Whether the name and password are an operator's; the password is compared in constant time. */
    public boolean admits(String name, String password) {
        byte[] expected = passwords.get(name);
        return expected != null && password != null
                && MessageDigest.isEqual(expected, password.getBytes(StandardCharsets.UTF_8));
    }
}
