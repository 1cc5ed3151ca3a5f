package chatd.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.cli.api.ApiClient;
import chatd.cli.api.ApiException;
import chatd.protocol.Envelope;
import chatd.server.testing.Mailbox;
import chatd.server.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two users chatting, several devices, backlog, idempotency and history (SPEC §4–§6, issue 3). */
class ChatTest {

    @Test
    void two_users_chat_in_a_channel_and_by_dm_and_a_second_device_sees_both_sides_once() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.register("alice", "alice-password");
            ApiClient bob = server.client();
            bob.createSession("bob");
            alice.send("JOIN", "#general");
            bob.send("JOIN", "#general");
            ApiClient aliceLaptop = server.client();
            aliceLaptop.login("alice", "alice-password");

            Mailbox a = new Mailbox(alice);
            Mailbox b = new Mailbox(bob);
            Mailbox laptop = new Mailbox(aliceLaptop);
            // The new device first learns the session's channels.
            laptop.await("JOIN burst", Mailbox.command("JOIN", "#general"));
            laptop.await("names", e -> e.command().equals("353") && e.bodyLines().getFirst().contains("bob"));

            String hi = alice.privmsg("#general", "hi bob");
            String yo = bob.privmsg("#general", "hi alice");
            String dm = bob.privmsg("alice", "psst");
            String dmBack = aliceLaptop.privmsg("bob", "psst back");

            for (Mailbox box : List.of(a, b, laptop)) {
                box.await("hi", e -> hi.equals(e.id()));
                box.await("yo", e -> yo.equals(e.id()));
            }
            for (Mailbox box : List.of(a, laptop, b)) {
                box.await("dm", e -> dm.equals(e.id()));
                box.await("dm back", e -> dmBack.equals(e.id()));
            }
            Envelope seen = b.await("alice's line", e -> hi.equals(e.id()));
            assertThat(seen.from()).isEqualTo("alice");
            assertThat(seen.to()).isEqualTo("#general");
            assertThat(seen.origin()).isEqualTo("test");
            assertThat(seen.ts()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            Envelope dmSeen = a.await("dm", e -> dm.equals(e.id()));
            assertThat(dmSeen.from()).isEqualTo("bob");
            assertThat(dmSeen.to()).isEqualTo("alice");
            for (Mailbox box : List.of(a, b, laptop)) {
                box.drain();
                for (String id : List.of(hi, yo, dm, dmBack)) {
                    assertThat(box.received().stream().filter(e -> id.equals(e.id())).count()).as("copies of " + id).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void a_clients_own_numerics_reach_that_client_only() {
        try (TestServer server = TestServer.start()) {
            ApiClient phone = server.client();
            phone.register("dana", "dana-password");
            ApiClient laptop = server.client();
            laptop.login("dana", "dana-password");
            Mailbox onPhone = new Mailbox(phone);
            Mailbox onLaptop = new Mailbox(laptop);
            onPhone.drain();
            onLaptop.drain();
            phone.send("WHOIS", "nobody-here");
            onPhone.awaitNumeric("401");
            String marker = phone.privmsg("dana", "marker");
            onLaptop.await("the marker, which came after the 401", e -> marker.equals(e.id()));
            assertThat(onLaptop.received()).noneMatch(e -> e.command().equals("401") || e.command().equals("318"));
        }
    }

    @Test
    void a_client_that_stops_polling_gets_all_500_messages_in_order_then_nothing_twice() {
        try (TestServer server = TestServer.start()) {
            ApiClient sleeper = server.client();
            sleeper.createSession("phone");
            sleeper.send("JOIN", "#busy");
            Mailbox phone = new Mailbox(sleeper);
            phone.drain();
            ApiClient talker = server.client();
            talker.createSession("talker");
            talker.send("JOIN", "#busy");
            for (int i = 0; i < 500; i++) {
                talker.privmsg("#busy", "message " + i);
            }
            // A response lost on a flaky network: re-polling the same cursor returns the same entries.
            ApiClient.Poll first = sleeper.poll(phone.cursor(), 0, 100);
            ApiClient.Poll retry = sleeper.poll(phone.cursor(), 0, 100);
            assertThat(retry.messages()).extracting(Envelope::id).isEqualTo(first.messages().stream().map(Envelope::id).toList());
            assertThat(retry.lastId()).isEqualTo(first.lastId());
            phone.drain();
            List<String> texts = new ArrayList<>();
            for (Envelope e : phone.received()) {
                if (e.command().equals("PRIVMSG")) {
                    texts.add(e.firstLine());
                }
            }
            assertThat(texts).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(texts.get(i)).isEqualTo("message " + i);
            }
            assertThat(phone.poll(0)).isZero();
        }
    }

    @Test
    void a_long_poll_waits_and_answers_as_soon_as_something_arrives() throws Exception {
        try (TestServer server = TestServer.start()) {
            ApiClient waiter = server.client();
            waiter.createSession("waiter");
            Mailbox box = new Mailbox(waiter);
            box.drain();
            ApiClient other = server.client();
            other.createSession("other");
            var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> waiter.poll(box.cursor(), 30, 100));
            other.privmsg("waiter", "wake up");
            ApiClient.Poll answer = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.messages()).extracting(Envelope::firstLine).containsExactly("wake up");
            long t0 = System.nanoTime();
            ApiClient.Poll empty = waiter.poll(answer.lastId(), 1, 100);
            assertThat(empty.messages()).isEmpty();
            assertThat(empty.lastId()).isEqualTo(answer.lastId());
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 5000L);
        }
    }

    @Test
    void overflow_drops_the_oldest_and_says_how_many() {
        try (TestServer server = TestServer.start(Map.of("QUEUE_MAX", "50"))) {
            ApiClient quiet = server.client();
            quiet.createSession("quiet");
            ApiClient loud = server.client();
            loud.createSession("loud");
            Mailbox box = new Mailbox(quiet);
            box.drain();
            for (int i = 0; i < 80; i++) {
                loud.privmsg("quiet", "n" + i);
            }
            ApiClient.Poll p = quiet.poll(box.cursor(), 0, 1000);
            assertThat(p.dropped()).isEqualTo(30);
            assertThat(p.messages()).hasSize(50);
            assertThat(p.messages().getFirst().firstLine()).isEqualTo("n30");
        }
    }

    @Test
    void a_retried_send_with_the_same_id_creates_nothing_new() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", "#idem");
            String id = UUID.randomUUID().toString();
            Envelope msg = new Envelope(id, null, "PRIVMSG", null, "#idem", List.of(), Envelope.lines(List.of("once")), null, null);
            assertThat(alice.send(msg)).isEqualTo(id);
            assertThat(alice.send(msg)).isEqualTo(id);
            server.restart();
            ApiClient again = new ApiClient(server.url()).token(alice.token());
            assertThat(again.send(msg)).isEqualTo(id);
            JsonNode history = again.history("#idem", null, null);
            long copies = 0;
            for (JsonNode m : history) {
                copies += m.path("id").asText().equals(id) ? 1 : 0;
            }
            assertThat(copies).isEqualTo(1);
        }
    }

    @Test
    void history_pages_by_seq_and_is_private() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            alice.send("JOIN", "#log");
            for (int i = 0; i < 25; i++) {
                alice.privmsg("#log", "line " + i);
            }
            ApiClient bob = server.client();
            bob.createSession("bob");
            bob.privmsg("alice", "private");
            JsonNode newest = alice.history("#log", null, 10);
            assertThat(newest).hasSize(10);
            assertThat(newest.get(9).path("body").get(0).asText()).isEqualTo("line 24");
            long oldestSeq = newest.get(0).path("seq").asLong();
            JsonNode older = alice.history("#log", oldestSeq, 10);
            assertThat(older.get(9).path("body").get(0).asText()).isEqualTo("line 14");
            assertThat(older.get(9).path("seq").asLong()).isLessThan(oldestSeq);
            assertThatThrownBy(() -> bob.history("#log", null, null))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
            assertThat(alice.history("bob", null, null).get(0).path("body").get(0).asText()).isEqualTo("private");
            assertThat(bob.history("alice", null, null).get(0).path("body").get(0).asText()).isEqualTo("private");
            ApiClient carol = server.client();
            carol.createSession("carol");
            assertThat(carol.history("alice", null, null)).isEmpty();
        }
    }

    @Test
    void channel_list_and_members() {
        try (TestServer server = TestServer.start()) {
            ApiClient alice = server.client();
            alice.createSession("alice");
            ApiClient bob = server.client();
            bob.createSession("bob");
            alice.send("JOIN", "#open");
            bob.send("JOIN", "#open");
            alice.send("TOPIC", "#open", "all welcome");
            alice.send("JOIN", "#hidden");
            alice.send(new Envelope(null, null, "MODE", null, "#hidden", List.of("+s"), null, null, null));
            bob.send("AWAY", null, "lunch");
            JsonNode channels = bob.channels();
            assertThat(channels).hasSize(1);
            assertThat(channels.get(0).path("name").asText()).isEqualTo("#open");
            assertThat(channels.get(0).path("topic").asText()).isEqualTo("all welcome");
            assertThat(channels.get(0).path("members").asInt()).isEqualTo(2);
            JsonNode members = bob.members("#open");
            assertThat(members.get(0).path("nick").asText()).isEqualTo("alice");
            assertThat(members.get(0).path("modes").asText()).isEqualTo("o");
            assertThat(members.get(0).path("server").asText()).isEqualTo("test");
            assertThat(members.get(0).path("presence").asText()).isEqualTo("online");
            assertThat(members.get(1).path("presence").asText()).isEqualTo("away");
            assertThat(members.get(1).path("away").asText()).isEqualTo("lunch");
            assertThatThrownBy(() -> bob.members("#hidden"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.getMessage()).contains("no such channel");
                    });
        }
    }
}
