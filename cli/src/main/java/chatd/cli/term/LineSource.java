package chatd.cli.term;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/**
 * Where typed lines come from: the JLine {@link LineReader} on a terminal, or plain lines of a script
 * on stdin. JLine's dumb terminal drops lines it has buffered when its input ends early (a
 * {@code printf … | bin/chat} script ends long before the client is connected), so scripts are read
 * as plain lines instead, and JLine only draws the output.
 */
public interface LineSource {
    /** The next line, or null at the end of input (Ctrl-D, Ctrl-C, end of the script). */
    String readLine(String prompt);

    /** A password, not echoed where the terminal allows it; null at the end of input. */
    String readSecret(String prompt);

    static LineSource of(LineReader reader) {
        return new LineSource() {
            @Override
            public String readLine(String prompt) {
                try {
                    return reader.readLine(prompt);
                } catch (EndOfFileException | UserInterruptException e) {
                    return null;
                }
            }

            @Override
            public String readSecret(String prompt) {
                try {
                    return reader.readLine(prompt, '*');
                } catch (EndOfFileException | UserInterruptException e) {
                    return null;
                }
            }
        };
    }

    static LineSource of(BufferedReader lines) {
        return new LineSource() {
            @Override
            public String readLine(String prompt) {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the input", e);
                }
            }

            @Override
            public String readSecret(String prompt) {
                return readLine(prompt);
            }
        };
    }
}
