package chatd.server.core;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Slow, salted password hashing (bcrypt from BouncyCastle); never stores or logs the password. */
public final class Passwords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final int cost;
    private volatile String decoy;

    /** @param cost bcrypt cost: 10 (~70 ms) in production; tests may lower it. */
    public Passwords(int cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, cost);
    }

    /**
     * A hash to check against when the nick has no account, so a wrong nick costs as much time as a
     * wrong password. Made on first use, not at start-up (a bcrypt hash is ~70 ms of CPU); two racing
     * first logins may both make one, which is harmless.
     */
    public String decoyHash() {
        String d = decoy;
        if (d == null) {
            d = hash("decoy-password");
            decoy = d;
        }
        return d;
    }

    public boolean matches(String password, String hash) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
