package chatd.server.core;

/** A member's place in a channel: who, and the prefix modes they hold ({@code o} → @, {@code v} → +). */
public final class Membership {
    private final Member member;
    private boolean op;
    private boolean voice;

    public Membership(Member member, boolean op, boolean voice) {
        this.member = member;
        this.op = op;
        this.voice = voice;
    }

    public Member member() {
        return member;
    }

    public boolean op() {
        return op;
    }

    public boolean voice() {
        return voice;
    }

    public void op(boolean value) {
        op = value;
    }

    public void voice(boolean value) {
        voice = value;
    }

    /** The prefix modes as letters, e.g. {@code "ov"}. */
    public String modes() {
        return (op ? "o" : "") + (voice ? "v" : "");
    }

    /** The highest prefix, as shown in NAMES. */
    public String prefix() {
        return op ? "@" : voice ? "+" : "";
    }

    /** All prefixes, highest first (IRCv3 multi-prefix). */
    public String allPrefixes() {
        return (op ? "@" : "") + (voice ? "+" : "");
    }
}
