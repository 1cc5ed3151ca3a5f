package chatd.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Proof-of-work stamps that make mass session creation expensive (SPEC §3, {@code HASHCASH_BITS}).
 * A stamp reads {@code 1:<bits>:<YYMMDD>:<resource>::<counter>}; it is worth something when the
 * SHA-256 of the whole stamp, as UTF-8, starts with at least {@code bits} zero bits.
 *
 * <p>Verification is stateless: "each stamp is accepted once" is the caller's duty, and the date
 * window below (±1 day) bounds how long the caller must remember the stamps it has seen.
 */
public final class Hashcash {
    /** Outcome of {@link #verify}; only {@link #VALID} admits the request. */
    public enum Verdict {
        VALID,
        /** Not of the form {@code 1:<bits>:<YYMMDD>:<resource>::<counter>}. */
        MALFORMED,
        /** Minted for another server: a stamp is only worth its work on the server it names. */
        WRONG_RESOURCE,
        /** Dated outside yesterday..tomorrow (one day of skew either way, for time zones). */
        EXPIRED,
        /** Declares fewer bits than required, or its hash does not carry the bits it declares. */
        INSUFFICIENT_BITS;

        public boolean isValid() {
            return this == VALID;
        }
    }

    /** Stamps are short; a cap keeps an attacker from making us hash megabytes. */
    private static final int MAX_STAMP_LENGTH = 512;
    private static final int MAX_BITS = 256;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuMMdd").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern BITS = Pattern.compile("[0-9]{1,3}");
    private static final Pattern YYMMDD = Pattern.compile("[0-9]{6}");
    private static final Pattern COUNTER = Pattern.compile("[A-Za-z0-9+/=]{1,64}");
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int COUNTER_DIGITS = 16;

    private Hashcash() {}

    /** Mints a stamp, starting the counter at a random point so that two clients never mint the same stamp. */
    public static String mint(int bits, LocalDate date, String resource) {
        return mint(bits, date, resource, ThreadLocalRandom.current());
    }

    /**
     * Mints a stamp by trying counters upwards from a random start; expect about 2^bits hashes.
     * The random start matters: stamps are single-use, so two clients counting from zero on the
     * same day would find the same stamp and the second would be refused.
     */
    public static String mint(int bits, LocalDate date, String resource, RandomGenerator random) {
        if (bits < 0 || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits must be 0.." + MAX_BITS + ", got " + bits);
        }
        if (resource == null || resource.isEmpty() || resource.indexOf(':') >= 0) {
            throw new IllegalArgumentException("resource must be non-empty and free of ':', got " + resource);
        }
        if (date.getYear() < 2000 || date.getYear() > 2099) {
            throw new IllegalArgumentException("YYMMDD cannot express the year " + date.getYear());
        }
        byte[] prefix = ("1:" + bits + ":" + DATE.format(date) + ":" + resource + "::").getBytes(StandardCharsets.UTF_8);
        byte[] stamp = new byte[prefix.length + COUNTER_DIGITS];
        System.arraycopy(prefix, 0, stamp, 0, prefix.length);
        MessageDigest sha256 = sha256();
        for (long counter = random.nextLong(); ; counter++) {
            writeHex(counter, stamp, prefix.length);
            if (leadingZeroBits(sha256.digest(stamp)) >= bits) {
                return new String(stamp, StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Judges {@code stamp} for a request to {@code expectedResource} on {@code today}. The stamp must
     * declare at least {@code requiredBits}, and its hash must carry the bits it declares.
     */
    public static Verdict verify(String stamp, int requiredBits, String expectedResource, LocalDate today) {
        if (requiredBits < 0 || requiredBits > MAX_BITS) {
            throw new IllegalArgumentException("requiredBits must be 0.." + MAX_BITS + ", got " + requiredBits);
        }
        if (stamp == null || stamp.length() > MAX_STAMP_LENGTH) {
            return Verdict.MALFORMED;
        }
        String[] fields = stamp.split(":", -1);
        if (fields.length != 6 || !fields[0].equals("1") || !BITS.matcher(fields[1]).matches()
                || !YYMMDD.matcher(fields[2]).matches() || !COUNTER.matcher(fields[5]).matches()) {
            return Verdict.MALFORMED;
        }
        int declaredBits = Integer.parseInt(fields[1]);
        LocalDate date = parseDate(fields[2]);
        if (declaredBits > MAX_BITS || date == null) {
            return Verdict.MALFORMED;
        }
        if (!fields[3].equals(expectedResource)) {
            return Verdict.WRONG_RESOURCE;
        }
        if (date.isBefore(today.minusDays(1)) || date.isAfter(today.plusDays(1))) {
            return Verdict.EXPIRED;
        }
        if (declaredBits < requiredBits
                || leadingZeroBits(sha256().digest(stamp.getBytes(StandardCharsets.UTF_8))) < declaredBits) {
            return Verdict.INSUFFICIENT_BITS;
        }
        return Verdict.VALID;
    }

    /** Number of zero bits before the first one bit, reading bytes first to last and bits high to low. */
    public static int leadingZeroBits(byte[] hash) {
        int zeros = 0;
        for (byte b : hash) {
            if (b != 0) {
                return zeros + Integer.numberOfLeadingZeros(b & 0xff) - 24;
            }
            zeros += 8;
        }
        return zeros;
    }

    private static LocalDate parseDate(String yymmdd) {
        try {
            return LocalDate.parse(yymmdd, DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void writeHex(long value, byte[] target, int offset) {
        for (int i = COUNTER_DIGITS - 1; i >= 0; i--) {
            target[offset + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
