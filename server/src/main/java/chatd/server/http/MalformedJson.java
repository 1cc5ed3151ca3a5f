package chatd.server.http;

import chatd.server.core.ChatError;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a body that is not JSON and where (line, column, enclosing field), in the
 * words of the API instead of the JSON library's: a client author fixes the request from the answer
 * alone. Every message starts with "malformed JSON", which {@link ApiErrors} answers as {@code invalid_json}.
 */
final class MalformedJson {
    private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("^Unrecognized token '([^']{0,40})");
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^']{0,60})'");

    private MalformedJson() {}

    /** The 400 for a body the parser refused. */
    static ChatError of(JacksonException e) {
        String what = problem(e);
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String field = e.getProcessor() instanceof JsonParser parser ? nearestField(parser.getParsingContext()) : null;
        String in = field == null || what.contains("'" + field + "'") ? "" : " (near field '" + field + "')";
        return ApiErrors.invalid("malformed JSON" + where + ": " + what + in);
    }

    /** The 400 for a body that parsed but is not an object. */
    static ChatError notAnObject(String found) {
        return ApiErrors.invalid("malformed JSON: the body must be a JSON object {...}, not " + found);
    }

    /** The field being read, or the one holding the array being read. */
    private static String nearestField(JsonStreamContext context) {
        for (JsonStreamContext c = context; c != null; c = c.getParent()) {
            if (c.getCurrentName() != null) {
                return c.getCurrentName();
            }
        }
        return null;
    }

    private static String problem(JacksonException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher m;
        if (e instanceof JsonEOFException) {
            return "the body ends in the middle of a value (a missing '}', ']' or '\"'?)";
        }
        if ((m = DUPLICATE.matcher(message)).find()) {
            return "field '" + m.group(1) + "' appears twice";
        }
        if ((m = UNEXPECTED.matcher(message)).find()) {
            return "unexpected character '" + m.group(1) + "'" + expected(message);
        }
        if ((m = TOKEN.matcher(message)).find()) {
            return "unknown word '" + m.group(1) + "' (strings need double quotes; literals are true, false, null)";
        }
        if (message.contains("UTF-8") || message.contains("UTF8")) {
            return "the body is not valid UTF-8";
        }
        if (message.contains("Illegal unquoted character")) {
            return "a control character inside a string must be escaped (\\n, \\t, \\u0000...)";
        }
        if (message.contains("Unexpected end-of-input")) {
            return "the body ends in the middle of a value (a missing '}', ']' or '\"'?)";
        }
        return "not valid JSON";
    }

    private static String expected(String message) {
        if (message.contains("double-quote to start field name")) {
            return ", expected a field name in double quotes";
        }
        if (message.contains("comma to separate Object entries")) {
            return ", expected ',' or '}'";
        }
        if (message.contains("comma to separate Array entries")) {
            return ", expected ',' or ']'";
        }
        if (message.contains("colon to separate field name and value")) {
            return ", expected ':' after the field name";
        }
        if (message.contains("expected a valid value") || message.contains("expected a value")) {
            return ", expected a value (string, number, object, array, true, false or null)";
        }
        return "";
    }
}
