package chatd.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 8785 JSON Canonicalization Scheme: the one byte form of a JSON value that is signed, MACed or
 * hashed (SPEC §7.2 link requests, §7.4 relay events). Two servers that hold equal JSON values
 * produce identical bytes, whatever key order, whitespace or number spelling travelled on the wire.
 *
 * <p>The rules, all from RFC 8785 §3.2: object members sorted by the UTF-16 code units of their
 * names; no whitespace; strings with only the mandatory escapes; every number written as
 * ECMAScript's {@code Number.prototype.toString} writes the IEEE-754 double it denotes. Values JCS
 * cannot represent (NaN, infinities, lone surrogates, binary or POJO nodes) are refused with
 * {@link IllegalArgumentException} rather than silently altered, because a silently altered value
 * would verify on one side and fail on the other.
 */
public final class Jcs {
    /** Integers up to 2^53 are exact doubles, and ECMAScript prints them as plain digits. */
    private static final long MAX_EXACT_INTEGER = 1L << 53;

    private Jcs() {}

    /** The canonical UTF-8 bytes of {@code node}: what gets signed or MACed. */
    public static byte[] canonicalize(JsonNode node) {
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The canonical UTF-8 bytes of an object without some of its members (a relayed event is signed without
     * {@code sig} and {@code hops}): as {@link #canonicalize} of a copy without them, minus the copy.
     */
    public static byte[] canonicalizeWithout(JsonNode object, Set<String> omitted) {
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("only an object has members to leave out");
        }
        StringBuilder out = new StringBuilder();
        writeObject(object, omitted, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical text of {@code node}; handy in tests and logs, identical to the bytes once encoded. */
    public static String canonicalString(JsonNode node) {
        if (node == null) {
            throw new IllegalArgumentException("cannot canonicalize a null node");
        }
        StringBuilder out = new StringBuilder();
        writeValue(node, out);
        return out.toString();
    }

    private static void writeValue(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, Set.of(), out);
            case ARRAY -> writeArray(node, out);
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.append(number(node));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case BINARY, POJO, MISSING -> throw new IllegalArgumentException(
                    "JCS has no form for a " + node.getNodeType() + " node");
        }
    }

    private static void writeObject(JsonNode node, Set<String> omitted, StringBuilder out) {
        // String.compareTo compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 requires.
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!omitted.contains(member.getKey())) {
                members.add(member);
            }
        }
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(members.get(i).getKey(), out);
            out.append(':');
            writeValue(members.get(i).getValue(), out);
        }
        out.append('}');
    }

    private static void writeArray(JsonNode node, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeValue(node.get(i), out);
        }
        out.append(']');
    }

    /** RFC 8785 §3.2.2.2: escape only quote, backslash and C0 controls; everything else is literal. */
    static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        requireWellFormedSurrogate(text, i);
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** I-JSON forbids lone surrogates; UTF-8 cannot carry them, so they would be mangled into '?'. */
    private static void requireWellFormedSurrogate(String text, int i) {
        char c = text.charAt(i);
        boolean lone = Character.isHighSurrogate(c)
                ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
        if (lone) {
            throw new IllegalArgumentException("lone surrogate U+" + Integer.toHexString(c) + " at index " + i);
        }
    }

    private static String number(JsonNode node) {
        if ((node.isInt() || node.isLong() || node.isShort()) && Math.abs(node.longValue()) <= MAX_EXACT_INTEGER) {
            return Long.toString(node.longValue());
        }
        // Everything else (big integers, decimals, doubles, floats) means the double it rounds to.
        return number(node.doubleValue());
    }

    /**
     * ECMAScript {@code Number.prototype.toString(x)} (ECMA-262 §6.1.6.1.20) for a finite double:
     * the shortest digits that round-trip, placed as plain or exponent notation by their magnitude.
     */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JCS cannot represent " + value);
        }
        if (value == 0) {
            return "0"; // also for -0, which ECMAScript prints as "0"
        }
        BigDecimal shortest = shortestDigits(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = 0.<digits> × 10^n
        String sign = value < 0 ? "-" : "";
        if (k <= n && n <= 21) {
            return sign + digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return sign + digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return sign + "0." + "0".repeat(-n) + digits;
        }
        int exponent = n - 1;
        String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent >= 0 ? "+" : "-") + Math.abs(exponent);
    }

    /**
     * The shortest decimal that rounds back to {@code positive}, trailing zeros stripped. Since JDK 19
     * {@link Double#toString(double)} yields the shortest digits, with one exception: when a single
     * digit would do, it may prefer a closer two-digit form (4.9E-324 where ECMAScript says 5e-324).
     */
    private static BigDecimal shortestDigits(double positive) {
        BigDecimal java = new BigDecimal(Double.toString(positive)).stripTrailingZeros();
        if (java.precision() != 2) {
            return java;
        }
        BigDecimal exact = new BigDecimal(positive);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal candidate = java.round(new MathContext(1, mode)).stripTrailingZeros();
            if (candidate.signum() > 0 && Double.parseDouble(candidate.toString()) == positive
                    && (best == null || closer(candidate, best, exact))) {
                best = candidate;
            }
        }
        return best == null ? java : best;
    }

    private static boolean closer(BigDecimal candidate, BigDecimal incumbent, BigDecimal exact) {
        return candidate.subtract(exact).abs().compareTo(incumbent.subtract(exact).abs()) < 0;
    }
}
