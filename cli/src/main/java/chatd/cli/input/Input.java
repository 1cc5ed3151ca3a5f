package chatd.cli.input;

import chatd.protocol.Envelope;

/** What one line typed by the user asks for; produced by {@link InputParser}. */
public sealed interface Input {
    /** Send this command envelope to the server. */
    record Send(Envelope envelope) implements Input {}

    /** Send QUIT with this envelope, then leave the client. */
    record Quit(Envelope envelope) implements Input {}

    /** Switch to window {@code number} (1-based). */
    record Select(int number) implements Input {}

    /** Open (and switch to) a private window with {@code target}. */
    record Query(String target) implements Input {}

    /** Show the command list. */
    record Help() implements Input {}

    /** {@code /trust nick[@server]}: accept the new signing key seen for that sender. */
    record Trust(String who) implements Input {}

    /** {@code /key}: show this client's own signing key. */
    record ShowKey() implements Input {}

    /** The line could not be used; tell the user why. */
    record Problem(String message) implements Input {}

    /** An empty line: nothing to do. */
    record Nothing() implements Input {}
}
