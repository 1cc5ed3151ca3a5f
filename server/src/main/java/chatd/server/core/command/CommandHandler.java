package chatd.server.core.command;

/** Handles one verb; preconditions of its {@link CommandSpec} are already checked. */
@FunctionalInterface
public interface CommandHandler {
    void handle(CommandContext ctx);
}
