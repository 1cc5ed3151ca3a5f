package chatd.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The thread-free long-poll: who answers a waiting poll, and when. */
class InboxTest {
    private final PollTimer timer = new PollTimer();
    private final Session session = new Session(1, "alice", null, 0, 100, timer);
    private final Client phone = client(1);
    private final Client laptop = client(2);

    @AfterEach
    void stop() {
        timer.close();
    }

    @Test
    void a_waiting_poll_is_answered_by_the_append_that_brings_it_something() throws Exception {
        CompletableFuture<Inbox.Batch> answer = poll(phone, 0, Duration.ofSeconds(30));
        assertThat(answer).isNotDone();
        session.inbox().append(entry(5, 0));
        assertThat(seqs(answer.get(5, TimeUnit.SECONDS))).containsExactly(5L);
        assertThat(answer.get().lastSeq()).isEqualTo(5);
    }

    @Test
    void an_entry_for_another_device_leaves_the_poll_waiting_until_its_timeout() throws Exception {
        CompletableFuture<Inbox.Batch> answer = poll(phone, 0, Duration.ofMillis(200));
        session.inbox().append(entry(5, laptop.id()));
        assertThat(answer).isNotDone();
        Inbox.Batch empty = answer.get(5, TimeUnit.SECONDS);
        assertThat(empty.entries()).isEmpty();
        assertThat(empty.lastSeq()).isZero();
    }

    @Test
    void entries_already_there_are_answered_at_once() throws Exception {
        session.inbox().append(entry(5, 0));
        session.inbox().append(entry(6, phone.id()));
        assertThat(seqs(poll(phone, 0, Duration.ofSeconds(30)).getNow(null))).containsExactly(5L, 6L);
        assertThat(seqs(poll(laptop, 0, Duration.ofSeconds(30)).getNow(null))).containsExactly(5L);
    }

    @Test
    void a_hot_client_gets_what_arrives_within_the_spacing_in_one_answer() throws Exception {
        // 1 entry every 5 ms (200 a second), the last answer dated ahead so that the spacing surely
        // outlasts the two appends below on a slow machine.
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        for (int i = 1; i <= 10; i++) {
            phone.answered(start + i * 5_000_000L - 50_000_000L, 1);
        }
        assertThat(phone.hot()).isTrue();
        long lastAnswer = phone.answeredNanos();
        CompletableFuture<Inbox.Batch> answer = poll(phone, 0, Duration.ofSeconds(30));
        session.inbox().append(entry(5, 0));
        session.inbox().append(entry(6, 0));
        Inbox.Batch batch = answer.get(5, TimeUnit.SECONDS);
        assertThat(seqs(batch)).containsExactly(5L, 6L);
        assertThat(phone.answeredNanos() - lastAnswer).isGreaterThanOrEqualTo(Inbox.ANSWER_SPACING_NANOS);
    }

    @Test
    void a_hot_client_with_a_full_answer_waiting_is_answered_before_the_spacing_ends() throws Exception {
        long farAhead = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 1; i <= 10; i++) {
            phone.answered(farAhead + i * 5_000_000L, 1); // hot, and its spacing lasts another 30 s
        }
        CompletableFuture<Inbox.Batch> answer = poll(phone, 0, Duration.ofSeconds(60));
        for (int seq = 1; seq < Inbox.FULL_ANSWER; seq++) {
            session.inbox().append(entry(seq, 0));
        }
        assertThat(answer).as("one entry short of a full answer").isNotDone();
        session.inbox().append(entry(Inbox.FULL_ANSWER, 0));
        assertThat(answer.get(5, TimeUnit.SECONDS).entries()).hasSize(Inbox.FULL_ANSWER);
    }

    @Test
    void a_quiet_client_is_answered_at_once() throws Exception {
        phone.answered(System.nanoTime() + TimeUnit.SECONDS.toNanos(30), 1); // were it spaced, for 30 s
        assertThat(phone.hot()).isFalse();
        CompletableFuture<Inbox.Batch> answer = poll(phone, 0, Duration.ofSeconds(60));
        session.inbox().append(entry(5, 0));
        assertThat(seqs(answer.get(5, TimeUnit.SECONDS))).containsExactly(5L);
    }

    @Test
    void a_cancelled_poll_is_never_answered() {
        CompletableFuture<Inbox.Batch> answer = new CompletableFuture<>();
        Inbox.Waiter waiter = session.inbox().await(phone, 0, 100, true, Duration.ofSeconds(30), answer::complete);
        assertThat(waiter.cancel()).isTrue();
        session.inbox().append(entry(5, 0));
        assertThat(answer).isNotDone();
        assertThat(waiter.cancel()).isFalse();
    }

    @Test
    void an_unspaced_reader_is_answered_with_everything_there_when_its_answer_runs() throws Exception {
        CompletableFuture<Inbox.Batch> answer = new CompletableFuture<>();
        session.inbox().await(phone, 0, 100, false, Duration.ofSeconds(30), answer::complete);
        List<Runnable> due = new java.util.ArrayList<>();
        session.inbox().append(entry(5, 0), due);
        session.inbox().append(entry(6, 0), due); // the rest of the commit, before the answer runs
        assertThat(due).hasSize(1);
        due.forEach(Runnable::run);
        assertThat(seqs(answer.getNow(null))).containsExactly(5L, 6L);
        assertThat(answer.get().lastSeq()).isEqualTo(6);
    }

    @Test
    void closing_answers_every_waiting_poll_and_later_ones_at_once() throws Exception {
        CompletableFuture<Inbox.Batch> waiting = poll(phone, 0, Duration.ofSeconds(30));
        session.inbox().close();
        assertThat(waiting.get(5, TimeUnit.SECONDS).entries()).isEmpty();
        assertThat(poll(laptop, 0, Duration.ofSeconds(30))).isDone();
    }

    private CompletableFuture<Inbox.Batch> poll(Client client, long after, Duration timeout) {
        CompletableFuture<Inbox.Batch> answer = new CompletableFuture<>();
        session.inbox().await(client, after, 100, true, timeout, answer::complete);
        return answer;
    }

    private Client client(long id) {
        Client client = new Client(id, session, "hash" + id, 0, "device" + id, 0, 0);
        session.clients().add(client);
        return client;
    }

    private static Inbox.Entry entry(long seq, long clientId) {
        return new Inbox.Entry(seq, clientId, ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<Long> seqs(Inbox.Batch batch) {
        return batch.entries().stream().map(Inbox.Entry::seq).toList();
    }
}
