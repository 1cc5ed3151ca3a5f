package chatd.server.core;

import chatd.protocol.ModeChange;
import chatd.protocol.Names;
import chatd.protocol.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The rule book of channels: who may join, part, kick, set the topic, change modes (and with which
 * arguments) and speak. It is the one place these rules are written: the local command handlers
 * ({@code core.command}) and the events of linked servers ({@link RemoteEvents}) both ask it, with the
 * acting {@link Member} — a local session, or a remote user whose status is the one this server knows
 * for them — and get {@code null} (allowed) or a {@link Refusal} carrying the IRC numeric.
 *
 * <p>The remote path differs in two places only, both marked here: a relayed JOIN gives the key its
 * origin checked (the origin puts it in the event), and a netjoin (a member listed in its own server's
 * burst) may overfill a {@code +l} channel. Everything else — operator status for KICK, MODE and
 * {@code +t} TOPIC, {@code +n}/{@code +m}/{@code +b} for speaking, the exceptions {@code +e} (from bans)
 * and {@code +I} (from {@code +i}) — is decided on this server's view, whoever asks. Guarded by the state lock.
 */
public final class ChannelRules {
    /** Advertised in 005 as TOPICLEN; longer topics are cut, as other servers do. */
    public static final int TOPICLEN = 390;

    private ChannelRules() {}

    /** Why something is refused: its numeric, text, and the label counted in metrics. */
    public enum Reason {
        NO_SUCH_NICK(Numeric.ERR_NOSUCHNICK, "No such nick/channel"),
        NO_SUCH_CHANNEL(Numeric.ERR_NOSUCHCHANNEL, "No such channel"),
        CANNOT_SEND(Numeric.ERR_CANNOTSENDTOCHAN, "Cannot send to channel"),
        USER_NOT_IN_CHANNEL(Numeric.ERR_USERNOTINCHANNEL, "They aren't on that channel"),
        NOT_ON_CHANNEL(Numeric.ERR_NOTONCHANNEL, "You're not on that channel"),
        NEED_MORE_PARAMS(Numeric.ERR_NEEDMOREPARAMS, "Not enough parameters"),
        CHANNEL_FULL(Numeric.ERR_CHANNELISFULL, "Cannot join channel (+l)"),
        UNKNOWN_MODE(Numeric.ERR_UNKNOWNMODE, "is unknown mode char to me"),
        INVITE_ONLY(Numeric.ERR_INVITEONLYCHAN, "Cannot join channel (+i)"),
        BANNED(Numeric.ERR_BANNEDFROMCHAN, "Cannot join channel (+b)"),
        BAD_KEY(Numeric.ERR_BADCHANNELKEY, "Cannot join channel (+k)"),
        NOT_OPERATOR(Numeric.ERR_CHANOPRIVSNEEDED, "You're not channel operator"),
        LIST_FULL(Numeric.ERR_BANLISTFULL, "Channel list is full"),
        INVALID_MODE_PARAM(Numeric.ERR_INVALIDMODEPARAM, "Invalid mode parameter");

        private final Numeric numeric;
        private final String text;

        Reason(Numeric numeric, String text) {
            this.numeric = numeric;
            this.text = text;
        }

        public Numeric numeric() {
            return numeric;
        }

        public String text() {
            return text;
        }

        /** The metric label: {@code not_operator}, {@code bad_key}, … */
        public String label() {
            return name().toLowerCase();
        }
    }

    /** A refusal: the reason and the numeric's parameters (after the target's nick, before the text). */
    public record Refusal(Reason reason, List<String> params) {
        /** As reported to a peer: {@code "482 You're not channel operator"}. */
        public String describe() {
            return reason.numeric().code() + " " + reason.text();
        }
    }

    /** How a member reaches a channel: the only difference is which rules a remote path has already met. */
    public enum JoinPath {
        /** A user of this server. */
        LOCAL,
        /** A JOIN of a remote user: its origin checked it against its own view; we check it against ours. */
        RELAYED,
        /** A member its own server lists in the burst after a link (they joined while split from us). */
        NETJOIN
    }

    private static Refusal refuse(Reason reason, String... params) {
        return new Refusal(reason, List.of(params));
    }

    /**
     * May {@code joiner} enter? {@code key} is the key the user gave; for a relayed JOIN, the key its origin
     * checked (it travels in the event), for a netjoin the key the burst names for the channel.
     */
    public static Refusal join(ChatState state, Channel channel, Member joiner, String key, JoinPath path) {
        boolean invited = channel.isInvited(joiner);
        if (channel.key() != null && !channel.key().equals(key)) {
            return refuse(Reason.BAD_KEY, channel.name());
        }
        // A netjoin may overfill: its members joined on the other side of a split, where the count was
        // lower; refusing them would leave the two sides disagreeing for good (IRC servers do the same).
        if (path != JoinPath.NETJOIN && channel.limit() > 0 && channel.size() >= channel.limit() && !invited) {
            return refuse(Reason.CHANNEL_FULL, channel.name());
        }
        if (channel.flag('i') && !invited && !channel.maskList('I').matches(address(state, joiner))) {
            return refuse(Reason.INVITE_ONLY, channel.name());
        }
        if (!invited && banned(state, channel, joiner)) {
            return refuse(Reason.BANNED, channel.name());
        }
        return null;
    }

    public static Refusal part(Channel channel, Member member) {
        return channel.has(member) ? null : refuse(Reason.NOT_ON_CHANNEL, channel.name());
    }

    /** KICK: the actor is an operator here, the victim ({@code nick} or {@code nick@server}) a member. */
    public static Refusal kick(Channel channel, Member actor, String victim) {
        Membership me = channel.membership(actor);
        if (me == null) {
            return refuse(Reason.NOT_ON_CHANNEL, channel.name());
        }
        if (!me.op()) {
            return refuse(Reason.NOT_OPERATOR, channel.name());
        }
        return channel.membership(victim) == null ? refuse(Reason.USER_NOT_IN_CHANNEL, victim, channel.name()) : null;
    }

    /** Setting the topic: a member, and an operator when {@code +t}. */
    public static Refusal topic(Channel channel, Member actor) {
        Membership m = channel.membership(actor);
        if (m == null) {
            return refuse(Reason.NOT_ON_CHANNEL, channel.name());
        }
        return channel.topicLocked() && !m.op() ? refuse(Reason.NOT_OPERATOR, channel.name()) : null;
    }

    /** A topic as stored: at most {@link #TOPICLEN} characters (never half a surrogate pair). */
    public static String topicText(String text) {
        if (text.length() <= TOPICLEN) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(TOPICLEN - 1)) ? TOPICLEN - 1 : TOPICLEN;
        return text.substring(0, end);
    }

    /** PRIVMSG/NOTICE: {@code +n} keeps outsiders out, {@code +m} needs voice, a ban silences (op/voice excepted). */
    public static Refusal speak(ChatState state, Channel channel, Member speaker) {
        Membership m = channel.membership(speaker);
        boolean allowed = m == null
                ? !channel.flag('n') && !channel.flag('m') && !banned(state, channel, speaker)
                : m.op() || m.voice() || (!channel.flag('m') && !banned(state, channel, speaker));
        return allowed ? null : refuse(Reason.CANNOT_SEND, channel.name());
    }

    /** Changing modes: only an operator of the channel as this server knows it (a non-member is none). */
    public static Refusal operator(Channel channel, Member actor) {
        Membership m = channel.membership(actor);
        return m != null && m.op() ? null : refuse(Reason.NOT_OPERATOR, channel.name());
    }

    /**
     * Applies mode changes in order, each validated here; answers those that took effect, as they are to
     * be shown. Refusals are added to {@code refused}. {@code wins} is asked for each valid change before it
     * is applied: always true locally; for a relayed MODE, the conflict rule of the mode's last change.
     * The actor's operator status is checked by the caller ({@link #operator}) first.
     */
    public static List<ModeChange> applyModes(ChatState state, Changes changes, Channel channel, List<ModeChange> wanted,
            Predicate<ModeChange> wins, List<Refusal> refused) {
        List<ModeChange> applied = new ArrayList<>();
        boolean channelChanged = false;
        for (ModeChange change : wanted) {
            Refusal r = validate(state, channel, change);
            if (r != null) {
                refused.add(r);
                continue;
            }
            if (!wins.test(change)) {
                continue;
            }
            ModeChange done = applyOne(changes, channel, change);
            if (done != null) {
                applied.add(done);
                channelChanged |= !done.isPrefixMode();
            }
        }
        if (channelChanged) {
            changes.persist(Lifecycle.saveChannel(channel));
        }
        return applied;
    }

    /** Null when the change is well formed and its target exists, else why not. */
    static Refusal validate(ChatState state, Channel channel, ModeChange change) {
        if (change.missingArgument()) {
            return refuse(Reason.NEED_MORE_PARAMS, "MODE");
        }
        String arg = change.arg();
        return switch (change.mode()) {
            case 'o', 'v' -> {
                if (channel.membership(arg) != null) {
                    yield null;
                }
                yield exists(state, arg) ? refuse(Reason.USER_NOT_IN_CHANNEL, arg, channel.name()) : refuse(Reason.NO_SUCH_NICK, arg);
            }
            case 'i', 'm', 'n', 's', 't' -> null;
            // a key is one JOIN parameter: not empty, no space, no comma (JOIN separates keys with commas)
            case 'k' -> change.adding() && (arg.isEmpty() || arg.chars().anyMatch(c -> c == ' ' || c == ',' || c < 0x20))
                    ? refuse(Reason.INVALID_MODE_PARAM, channel.name(), "k", "*") : null;
            case 'l' -> change.adding() && limit(arg) <= 0 ? refuse(Reason.INVALID_MODE_PARAM, channel.name(), "l", arg) : null;
            case 'b', 'e', 'I' -> listChange(channel, change);
            default -> refuse(Reason.UNKNOWN_MODE, String.valueOf(change.mode()));
        };
    }

    /** Applies a validated change; null when it changed nothing. A second {@code +k} replaces the key. */
    private static ModeChange applyOne(Changes changes, Channel channel, ModeChange change) {
        boolean adding = change.adding();
        String arg = change.arg();
        switch (change.mode()) {
            case 'o', 'v' -> {
                Membership target = channel.membership(arg);
                boolean op = change.mode() == 'o';
                if ((op ? target.op() : target.voice()) == adding) {
                    return null;
                }
                if (op) target.op(adding); else target.voice(adding);
                if (target.member() instanceof Session s) {
                    changes.persist(new Mutation.SaveMembership(channel.foldedName(), s.id(), target.modes()));
                }
                return change.withArg(target.member().displayName());
            }
            case 'k' -> {
                String before = channel.key();
                channel.key(adding ? arg : null);
                return java.util.Objects.equals(before, channel.key()) ? null : change.withArg(adding ? arg : "*");
            }
            case 'l' -> {
                int limit = adding ? limit(arg) : 0;
                if (channel.limit() == limit) {
                    return null;
                }
                channel.limit(limit);
                return adding ? change.withArg(Integer.toString(limit)) : change;
            }
            case 'b', 'e', 'I' -> {
                MaskList list = channel.maskList(change.mode());
                return (adding ? list.add(arg) : list.remove(arg)) ? change : null;
            }
            default -> {
                return channel.flag(change.mode(), adding) ? change : null;
            }
        }
    }

    /**
     * Netjoin: may the burst of {@code server} assert its own topic or mode changes for this channel? A
     * burst says only what was decided and when, not by whom, so the rule is on the server: one of its
     * users must be an operator here (or, for the topic of a {@code -t} channel, a member) — the same
     * status a relayed TOPIC or MODE from that server would need.
     */
    public static boolean netjoinMayAssert(Channel channel, String server, boolean topic) {
        for (Membership m : channel.members()) {
            if (m.member() instanceof RemoteUser u && u.serverName().equals(server)
                    && (m.op() || (topic && !channel.topicLocked()))) {
                return true;
            }
        }
        return false;
    }

    /** A mask for a list mode: not blank, no space; a new one only while the list has room. */
    private static Refusal listChange(Channel channel, ModeChange change) {
        String mask = change.arg();
        String letter = String.valueOf(change.mode());
        if (mask.isBlank() || mask.contains(" ")) {
            return refuse(Reason.INVALID_MODE_PARAM, channel.name(), letter, mask);
        }
        MaskList list = channel.maskList(change.mode());
        return change.adding() && list.isFull() && !list.contains(mask) ? refuse(Reason.LIST_FULL, channel.name(), letter) : null;
    }

    /**
     * Does a ban match the member, and no ban exception ({@code +e})? Checked on every message: cheap when
     * there are no bans.
     */
    private static boolean banned(ChatState state, Channel channel, Member member) {
        if (channel.maskList('b').isEmpty()) {
            return false;
        }
        String address = address(state, member);
        return channel.maskList('b').matches(address) && !channel.maskList('e').matches(address);
    }

    /** The mask the lists match: {@code nick!nick@server} (a chatd user has no separate user or host name). */
    private static String address(ChatState state, Member member) {
        String nick = member instanceof RemoteUser u ? u.nick() : member.displayName();
        return nick + "!" + nick + "@" + member.server(state);
    }

    /** A limit argument: the number, or -1 when it is not a number. */
    private static int limit(String arg) {
        try {
            return Integer.parseInt(arg.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Is there such a user at all (a local session, or a remote user known here)? */
    private static boolean exists(ChatState state, String name) {
        Names.UserAddress a = Names.parseUser(name);
        if (!a.isRemote() || a.server().equals(state.serverName())) {
            return state.sessionByNick(a.nick()) != null;
        }
        return state.remoteUser(a.nick(), a.server()) != null;
    }
}
