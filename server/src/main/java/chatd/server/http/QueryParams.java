package chatd.server.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The query string of a request, read the same way by the direct routes (Jetty's raw query) and by
 * Javalin's ({@code ctx.queryString()}): the first parameter of a name, decoded only when encoded, and
 * numbers checked against their range with a 400 that names the parameter.
 */
record QueryParams(String raw) {

    /** The first parameter called {@code name}, or null. */
    String text(String name) {
        return parameter(raw, name);
    }

    /** A whole-number parameter between {@code min} and {@code max}; {@code fallback} when absent or empty. */
    long number(String name, long fallback, long min, long max) {
        String value = text(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n < min || n > max) {
                throw ApiErrors.invalid("query parameter '" + name + "' must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiErrors.invalid("query parameter '" + name + "' must be a whole number");
        }
    }

    /** A parameter of a raw query string (the first of that name), decoded only when encoded. */
    static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (int at = 0; at <= query.length(); ) {
            int end = query.indexOf('&', at);
            end = end < 0 ? query.length() : end;
            if (query.startsWith(name, at) && at + name.length() < end && query.charAt(at + name.length()) == '=') {
                String value = query.substring(at + name.length() + 1, end);
                if (value.indexOf('%') < 0 && value.indexOf('+') < 0) {
                    return value;
                }
                try {
                    return URLDecoder.decode(value, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw ApiErrors.invalid("query parameter '" + name + "' is not correctly encoded");
                }
            }
            at = end + 1;
        }
        return null;
    }
}
