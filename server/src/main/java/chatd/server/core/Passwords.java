package chatd.server.core;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Slow, salted password hashing (bcrypt from BouncyCastle); never stores or logs the password. */
public final class Passwords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final int cost;

    /** @param cost bcrypt cost: 10 (~70 ms) in production; tests may lower it. */
    public Passwords(int cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, cost);
    }

    public boolean matches(String password, String hash) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
