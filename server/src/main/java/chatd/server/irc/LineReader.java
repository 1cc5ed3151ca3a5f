package chatd.server.irc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Frames a byte stream into IRC lines: ends at LF with an optional CR before it (RFC 1459 says CR-LF,
 * many bots send bare LF). A line longer than the limit is not an error of the connection: its bytes
 * are discarded up to the next LF and {@link Line#tooLong()} is reported, so the caller answers 417.
 *
 * <p>Text is UTF-8; a line that is not valid UTF-8 is read as ISO-8859-1 and marked so: the gateway
 * takes it during registration (old clients send Latin-1 real names) and refuses it afterwards (UTF8ONLY). State survives a socket read timeout: a partial line stays buffered and the next call continues it.
 */
final class LineReader {
    private static final int READ_SIZE = 8192;

    /** One framed line: its text (and whether it was valid UTF-8), or a marker that it was too long and dropped. */
    record Line(String text, boolean tooLong, boolean utf8) {
        Line(String text, boolean tooLong) {
            this(text, tooLong, true);
        }
    }

    private final InputStream in;
    private final int maxBytes;
    /**
     * Bytes read from the stream and not framed yet. Read in blocks and scanned here, not a byte at a time
     * through a {@code BufferedInputStream} into a {@code ByteArrayOutputStream}: both take a lock per byte,
     * hundreds per line (a visible part of a sending connection's profile).
     */
    private final byte[] buffer = new byte[READ_SIZE];
    private int pos;
    private int limit;
    /** The line so far, when it spans reads (a read timeout keeps it). */
    private byte[] line = new byte[512];
    private int lineLength;
    private boolean overflowing;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** @param maxBytes the longest accepted line, CR-LF excluded (tags + 510 bytes of message) */
    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at end of stream; a read timeout propagates with the partial line kept. */
    Line next() throws IOException {
        while (true) {
            if (pos == limit) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return null;
                }
                pos = 0;
                limit = n;
            }
            int lf = pos;
            while (lf < limit && buffer[lf] != '\n') {
                lf++;
            }
            if (!overflowing) {
                keep(pos, lf);
            }
            if (lf == limit) {
                pos = limit;
                continue;
            }
            pos = lf + 1;
            int length = lineLength;
            lineLength = 0;
            if (overflowing) {
                overflowing = false;
                return new Line(null, true);
            }
            int len = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            String text = decodeUtf8(len);
            return text != null ? new Line(text, false) : new Line(new String(line, 0, len, StandardCharsets.ISO_8859_1), false, false);
        }
    }

    /** Adds {@code buffer[from, to)} to the line, or drops the line once it is longer than allowed. */
    private void keep(int from, int to) {
        int room = maxBytes + 2 - lineLength; // +1: room for the CR of CR-LF, +1 to see it is too long
        int n = Math.min(to - from, room);
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLength + n, 2 * line.length));
        }
        System.arraycopy(buffer, from, line, lineLength, n);
        lineLength += n;
        if (lineLength > maxBytes + 1) {
            overflowing = true;
            lineLength = 0;
        }
    }

    /** The line's text when its bytes are valid UTF-8, else null. */
    private String decodeUtf8(int len) {
        boolean ascii = true;
        for (int i = 0; i < len && ascii; i++) {
            ascii = line[i] >= 0;
        }
        if (ascii) {
            return new String(line, 0, len, StandardCharsets.US_ASCII);
        }
        try {
            return utf8.reset().decode(ByteBuffer.wrap(line, 0, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
