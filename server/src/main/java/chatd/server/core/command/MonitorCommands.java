package chatd.server.core.command;

import chatd.protocol.Names;
import chatd.protocol.Numeric;
import chatd.server.core.Monitoring;
import chatd.server.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MONITOR + nicks | - nicks | C | L | S (IRCv3 monitor): be told when nicks come online (730) or go
 * (731). Targets must be nicks (no masks); at most {@link Monitoring#LIMIT} per session (734 beyond).
 */
final class MonitorCommands {
    /** Nicks per 730/731/732 line, so that a reply stays within an IRC line. */
    private static final int PER_LINE = 10;

    void monitor(CommandContext ctx) {
        String sub = ctx.target().toUpperCase(Locale.ROOT);
        Monitoring monitoring = ctx.state().monitoring();
        Session me = ctx.session();
        List<String> targets = targets(ctx);
        switch (sub) {
            case "+" -> add(ctx, monitoring, me, targets);
            case "-" -> targets.forEach(nick -> monitoring.remove(me, nick));
            case "C" -> monitoring.clear(me);
            case "L" -> {
                sendLists(ctx, Numeric.RPL_MONLIST, monitoring.list(me));
                ctx.reply(Numeric.RPL_ENDOFMONLIST, "End of MONITOR list");
            }
            case "S" -> status(ctx, monitoring.list(me));
            default -> ctx.reply(Numeric.ERR_UNKNOWNCOMMAND, "Unknown MONITOR subcommand", "MONITOR");
        }
    }

    private void add(CommandContext ctx, Monitoring monitoring, Session me, List<String> targets) {
        List<String> added = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String nick = targets.get(i);
            if (!Names.isValidNick(nick)) {
                ctx.reply(Numeric.ERR_ERRONEUSNICKNAME, "Erroneous nickname", nick);
            } else if (!monitoring.add(me, nick)) {
                ctx.reply(Numeric.ERR_MONLISTFULL, "Monitor list is full.", Integer.toString(Monitoring.LIMIT),
                        String.join(",", targets.subList(i, targets.size())));
                break;
            } else {
                added.add(nick);
            }
        }
        status(ctx, added);
    }

    /** 730 for the nicks in use, 731 for the others. */
    private void status(CommandContext ctx, List<String> nicks) {
        List<String> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        for (String nick : nicks) {
            Session s = ctx.state().sessionByNick(nick);
            if (s != null) {
                online.add(Monitoring.mask(ctx.state(), s));
            } else {
                offline.add(nick);
            }
        }
        sendLists(ctx, Numeric.RPL_MONONLINE, online);
        sendLists(ctx, Numeric.RPL_MONOFFLINE, offline);
    }

    private void sendLists(CommandContext ctx, Numeric numeric, List<String> items) {
        for (int i = 0; i < items.size(); i += PER_LINE) {
            ctx.reply(numeric, String.join(",", items.subList(i, Math.min(items.size(), i + PER_LINE))));
        }
    }

    /** The comma-separated targets, from the first parameter or the text. */
    private static List<String> targets(CommandContext ctx) {
        String list = ctx.message().param(0) != null ? ctx.message().param(0) : ctx.message().firstLine();
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String t : list.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return out;
    }
}
