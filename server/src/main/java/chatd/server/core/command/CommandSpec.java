package chatd.server.core.command;

/**
 * One row of the dispatch table: the verb, whether it needs a target ({@code to}, or 461), and its
 * handler. The registry checks the preconditions once so handlers never repeat them.
 */
public record CommandSpec(String verb, boolean needsTarget, CommandHandler handler) {}
