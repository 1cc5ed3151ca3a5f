package chatd.cli.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Mints the proof-of-work stamp {@code 1:<bits>:<YYMMDD>:<server>::<counter>} of SPEC §3. */
final class Hashcash {
    private Hashcash() {}

    static String mint(int bits, String server, LocalDate date) {
        String prefix = "1:" + bits + ":" + date.format(DateTimeFormatter.ofPattern("yyMMdd")) + ":" + server + "::";
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
        for (long counter = 0; ; counter++) {
            String stamp = prefix + Long.toHexString(counter);
            if (leadingZeroBits(sha.digest(stamp.getBytes(StandardCharsets.UTF_8))) >= bits) {
                return stamp;
            }
        }
    }

    static String mintToday(int bits, String server) {
        return mint(bits, server, LocalDate.now(ZoneOffset.UTC));
    }

    static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }
}
