package chatd.server.irc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Frames a byte stream into IRC lines: ends at LF with an optional CR before it (RFC 1459 says CR-LF,
 * many bots send bare LF). A line longer than the limit is not an error of the connection: its bytes
 * are discarded up to the next LF and {@link Line#tooLong()} is reported, so the caller answers 417.
 *
 * <p>Text is UTF-8; a line that is not valid UTF-8 is read as ISO-8859-1 and marked so: the gateway
 * takes it during registration (old clients send Latin-1 real names) and refuses it afterwards (UTF8ONLY). State survives a socket read timeout: a partial line stays buffered and the next call continues it.
 */
final class LineReader {
    /** One framed line: its text (and whether it was valid UTF-8), or a marker that it was too long and dropped. */
    record Line(String text, boolean tooLong, boolean utf8) {
        Line(String text, boolean tooLong) {
            this(text, tooLong, true);
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(512);
    private boolean overflowing;

    /** @param maxBytes the longest accepted line, CR-LF excluded (tags + 510 bytes of message) */
    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at end of stream; a read timeout propagates with the partial line kept. */
    Line next() throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                if (overflowing) {
                    overflowing = false;
                    current.reset();
                    return new Line(null, true);
                }
                byte[] bytes = current.toByteArray();
                current.reset();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                String utf8 = decodeUtf8(bytes, len);
                return utf8 != null ? new Line(utf8, false) : new Line(new String(bytes, 0, len, StandardCharsets.ISO_8859_1), false, false);
            }
            if (overflowing) {
                continue;
            }
            current.write(b);
            if (current.size() > maxBytes + 1) { // +1: room for the CR of CR-LF
                overflowing = true;
                current.reset();
            }
        }
    }

    /** The text when the bytes are valid UTF-8, else null. */
    private static String decodeUtf8(byte[] bytes, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
