package chatd.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.cli.sign.TrustStore;
import chatd.cli.sign.Verifier;
import chatd.protocol.Envelope;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresenterTest {
    private final ChatModel model = new ChatModel();
    private Presenter presenter;

    @BeforeEach
    void connected_as_alice(@TempDir Path dir) {
        presenter = new Presenter(model, new TimeFormat(ZoneOffset.UTC, InstantSource.fixed(Instant.parse("2026-01-02T09:00:00Z"))),
                new Verifier(new TrustStore(dir.resolve("trust.json")), () -> "alpha"));
        model.nick("alice");
    }

    private static Envelope env(String command, String from, String to, String... body) {
        return new Envelope("id-" + System.nanoTime(), "2026-01-02T12:34:56.000Z", command, from, to, List.of(),
                body.length == 0 ? null : Envelope.lines(List.of(body)), "alpha", null);
    }

    private List<String> shown(int window) {
        return model.lines(window).stream().map(Line::render).toList();
    }

    @Test
    void own_join_opens_and_selects_the_channel_window() {
        presenter.apply(env("JOIN", "alice", "#room"));
        assertThat(model.size()).isEqualTo(2);
        assertThat(model.current()).isEqualTo(2);
        assertThat(model.currentTarget()).isEqualTo("#room");
        assertThat(shown(2)).containsExactly("[12:34] -!- alice has joined #room");
    }

    @Test
    void channel_messages_render_with_time_and_nick() {
        presenter.apply(env("JOIN", "alice", "#room"));
        presenter.apply(env("PRIVMSG", "bob", "#room", "hello"));
        presenter.apply(env("PRIVMSG", "carol@beta", "#room", "\u0001ACTION waves\u0001"));
        presenter.apply(env("NOTICE", "dave", "#room", "fyi"));
        assertThat(shown(2)).endsWith("[12:34] · <bob> hello", "[12:34] · * carol@beta waves", "[12:34] · -dave- fyi");
    }

    @Test
    void private_messages_open_a_window_per_peer_in_order_of_appearance() {
        presenter.apply(env("PRIVMSG", "bob@beta", "alice", "psst"));
        presenter.apply(env("PRIVMSG", "alice", "carol", "hi carol"));
        presenter.apply(env("PRIVMSG", "BOB@beta", "alice", "again"));
        assertThat(model.target(2)).isEqualTo("bob@beta");
        assertThat(model.target(3)).isEqualTo("carol");
        assertThat(shown(2)).containsExactly("[12:34] · <bob@beta> psst", "[12:34] · <BOB@beta> again");
        assertThat(shown(3)).containsExactly("[12:34] · <alice> hi carol");
    }

    @Test
    void unread_activity_is_tracked_per_window_and_cleared_on_select() {
        presenter.apply(env("JOIN", "alice", "#a"));
        presenter.apply(env("JOIN", "alice", "#b"));
        presenter.apply(env("PRIVMSG", "bob", "#a", "hi"));
        presenter.apply(env("PRIVMSG", "bob", "#a", "alice: ping"));
        presenter.apply(env("PRIVMSG", "bob", "#b", "seen"));
        Status status = model.status();
        assertThat(status.current()).isEqualTo(3);
        assertThat(status.unread()).containsExactly(new Status.Unread(2, Activity.HIGHLIGHT));
        assertThat(status.render()).isEqualTo("[alice] [3:#b] [Act: 2!] [connecting]");
        model.select(2);
        assertThat(model.status().unread()).isEmpty();
    }

    @Test
    void join_part_quit_nick_topic_are_system_lines_in_the_right_windows() {
        presenter.apply(env("JOIN", "alice", "#room"));
        presenter.apply(env("JOIN", "bob", "#room"));
        presenter.apply(env("TOPIC", "bob", "#room", "new topic"));
        presenter.apply(env("NICK", "bob", null, "robert"));
        presenter.apply(env("PART", "robert", "#room", "later"));
        presenter.apply(env("JOIN", "carol@beta", "#room"));
        presenter.apply(env("QUIT", "carol@beta", null, "bye"));
        presenter.apply(env("QUIT", "stranger", null, "not here"));
        assertThat(shown(2)).containsExactly(
                "[12:34] -!- alice has joined #room",
                "[12:34] -!- bob has joined #room",
                "[12:34] -!- bob changed the topic of #room to: new topic",
                "[12:34] -!- bob is now known as robert",
                "[12:34] -!- robert has left #room (later)",
                "[12:34] -!- carol@beta has joined #room",
                "[12:34] -!- carol@beta has quit (bye)");
        assertThat(model.topic("#room")).isEqualTo("new topic");
    }

    @Test
    void own_nick_change_updates_the_status_and_shows_in_every_channel() {
        model.open("#quiet"); // e.g. restored after a resume: no member list known yet
        presenter.apply(env("NICK", "alice", null, "alicia"));
        assertThat(model.nick()).isEqualTo("alicia");
        assertThat(model.status().nick()).isEqualTo("alicia");
        assertThat(shown(1)).containsExactly("[12:34] -!- You're now known as alicia");
        assertThat(shown(2)).containsExactly("[12:34] -!- You're now known as alicia");
    }

    @Test
    void numerics_go_to_the_channel_window_or_where_the_user_is() {
        presenter.apply(env("JOIN", "alice", "#room"));
        presenter.apply(new Envelope("n1", "2026-01-02T12:34:56.000Z", "353", "alpha", "alice", List.of("=", "#room"),
                Envelope.lines(List.of("@alice bob@beta")), "alpha", null));
        presenter.apply(new Envelope("n2", "2026-01-02T12:34:56.000Z", "401", "alpha", "alice", List.of("zed"),
                Envelope.lines(List.of("No such nick/channel")), "alpha", null));
        presenter.apply(new Envelope("n3", "2026-01-02T12:34:56.000Z", "001", "alpha", "alice", List.of(),
                Envelope.lines(List.of("Welcome")), "alpha", null));
        assertThat(shown(2)).endsWith("[12:34] -!- Users on #room: @alice bob@beta", "[12:34] -!- No such nick: zed");
        assertThat(shown(1)).containsExactly("[12:34] -!- Welcome");
        // members learnt from 353: bob@beta's QUIT lands in #room
        presenter.apply(env("QUIT", "bob@beta", null));
        assertThat(shown(2)).last().isEqualTo("[12:34] -!- bob@beta has quit");
    }

    @Test
    void server_notices_go_to_the_server_window() {
        presenter.apply(env("NOTICE", "alpha", "alice", "maintenance at noon"));
        assertThat(model.size()).isEqualTo(1);
        assertThat(shown(1)).containsExactly("[12:34] -alpha- maintenance at noon");
    }

    @Test
    void an_invitation_for_the_user_reads_as_one_and_another_user_s_in_the_channel_as_news() {
        presenter.apply(env("JOIN", "alice", "#room"));
        presenter.apply(new Envelope("i1", "2026-01-02T12:34:56.000Z", "INVITE", "bob", "alice", List.of("#games"), null, "alpha", null));
        assertThat(shown(2)).last().isEqualTo("[12:34] -!- bob invites you to #games");
        // invite-notify: alice operates #room, carol invited dave into it
        presenter.apply(new Envelope("i2", "2026-01-02T12:34:56.000Z", "INVITE", "carol", "dave", List.of("#room"), null, "alpha",
                null));
        assertThat(shown(2)).last().isEqualTo("[12:34] -!- carol invited dave to #room");
        assertThat(shown(2)).noneMatch(l -> l.contains("invites you to #room"));
    }
}
