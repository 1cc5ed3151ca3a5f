package chatd.server.core;

import chatd.protocol.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A channel and its modes. Members are keyed by their folded display name, so a local {@code bob} and a
 * remote {@code bob@beta} are two members. Guarded by the state lock. Who may change what is decided by
 * {@link ChannelRules}, not here.
 */
public final class Channel {
    private final String name;
    private final long createdMillis;
    private final Map<String, Membership> members = new LinkedHashMap<>();
    private final MaskList bans = new MaskList();
    private final MaskList banExceptions = new MaskList();
    private final MaskList inviteExceptions = new MaskList();
    private final Set<String> invited = new HashSet<>();
    private String topic = "";
    private String topicSetter = "";
    private long topicMillis;
    private boolean inviteOnly;
    private boolean moderated;
    private boolean noExternal = true;
    private boolean secret;
    private boolean topicLocked = true;
    private String key;
    private int limit;

    public Channel(String name, long createdMillis) {
        this.name = name;
        this.createdMillis = createdMillis;
    }

    public String name() {
        return name;
    }

    public String foldedName() {
        return Names.fold(name);
    }

    public long createdMillis() {
        return createdMillis;
    }

    /** Was this member invited (INVITE lets them past +i, +l and +b)? */
    public boolean isInvited(Member member) {
        return invited.contains(Names.fold(member.displayName()));
    }

    public Membership add(Member member, boolean op) {
        Membership membership = new Membership(member, op, false);
        members.put(Names.fold(member.displayName()), membership);
        invited.remove(Names.fold(member.displayName()));
        return membership;
    }

    public Membership remove(Member member) {
        return members.remove(Names.fold(member.displayName()));
    }

    /** Re-keys a member after a nick change. */
    public void rename(String oldDisplay, Member member) {
        Membership m = members.remove(Names.fold(oldDisplay));
        if (m != null) {
            members.put(Names.fold(member.displayName()), m);
        }
    }

    public Membership membership(Member member) {
        return members.get(Names.fold(member.displayName()));
    }

    /** The membership of a member named as on the wire ({@code nick} or {@code nick@server}). */
    public Membership membership(String displayName) {
        return members.get(Names.fold(displayName));
    }

    public boolean has(Member member) {
        return members.containsKey(Names.fold(member.displayName()));
    }

    public Collection<Membership> members() {
        return members.values();
    }

    public int size() {
        return members.size();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public void invite(String displayName) {
        invited.add(Names.fold(displayName));
    }

    /** The list modes, in ISUPPORT order: bans, ban exceptions, invite exceptions. */
    public static final String LIST_MODES = "beI";

    /** The mask list of a list mode ({@code b}, {@code e} or {@code I}). */
    public MaskList maskList(char mode) {
        return switch (mode) {
            case 'b' -> bans;
            case 'e' -> banExceptions;
            case 'I' -> inviteExceptions;
            default -> throw new IllegalArgumentException("not a list mode: " + mode);
        };
    }

    /** The non-prefix modes as a mode string with its arguments, e.g. {@code +ntk secret}. */
    public List<String> modeString(boolean showKey) {
        StringBuilder flags = new StringBuilder("+");
        List<String> args = new ArrayList<>();
        if (inviteOnly) flags.append('i');
        if (moderated) flags.append('m');
        if (noExternal) flags.append('n');
        if (secret) flags.append('s');
        if (topicLocked) flags.append('t');
        if (key != null) {
            flags.append('k');
            args.add(showKey ? key : "*");
        }
        if (limit > 0) {
            flags.append('l');
            args.add(Integer.toString(limit));
        }
        List<String> out = new ArrayList<>();
        out.add(flags.toString());
        out.addAll(args);
        return out;
    }

    /** Sets or clears a flag mode ({@code i m n s t}); answers whether anything changed. */
    public boolean flag(char mode, boolean on) {
        boolean before = flag(mode);
        switch (mode) {
            case 'i' -> inviteOnly = on;
            case 'm' -> moderated = on;
            case 'n' -> noExternal = on;
            case 's' -> secret = on;
            case 't' -> topicLocked = on;
            default -> throw new IllegalArgumentException("not a flag mode: " + mode);
        }
        return before != on;
    }

    public boolean flag(char mode) {
        return switch (mode) {
            case 'i' -> inviteOnly;
            case 'm' -> moderated;
            case 'n' -> noExternal;
            case 's' -> secret;
            case 't' -> topicLocked;
            default -> false;
        };
    }

    public String flags() {
        StringBuilder s = new StringBuilder();
        for (char c : "imnst".toCharArray()) {
            if (flag(c)) s.append(c);
        }
        return s.toString();
    }

    public void flags(String letters) {
        for (char c : "imnst".toCharArray()) {
            flag(c, letters.indexOf(c) >= 0);
        }
    }

    public boolean secret() {
        return secret;
    }

    public boolean topicLocked() {
        return topicLocked;
    }

    public String key() {
        return key;
    }

    public void key(String value) {
        key = value;
    }

    public int limit() {
        return limit;
    }

    public void limit(int value) {
        limit = value;
    }

    public String topic() {
        return topic;
    }

    public String topicSetter() {
        return topicSetter;
    }

    public long topicMillis() {
        return topicMillis;
    }

    public void topic(String text, String setter, long atMillis) {
        topic = text;
        topicSetter = setter;
        topicMillis = atMillis;
    }
}
