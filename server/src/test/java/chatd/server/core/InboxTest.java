package chatd.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
    void an_answer_carries_everything_that_arrived_before_it_was_written() throws Exception {
        CountDownLatch timerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        timer.answer(List.of(() -> {
            timerHeld.countDown();
            awaitQuietly(release);
        }));
        assertThat(timerHeld.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Inbox.Batch> answer = poll(phone, 0, Duration.ofSeconds(30));
        session.inbox().append(entry(5, 0));
        session.inbox().append(entry(6, phone.id()));
        release.countDown();
        Inbox.Batch batch = answer.get(5, TimeUnit.SECONDS);
        assertThat(seqs(batch)).as("the answer is put together when the answering thread gets to it").containsExactly(5L, 6L);
        assertThat(batch.lastSeq()).isEqualTo(6);
    }

    @Test
    void a_busy_client_is_answered_at_every_append_without_waiting() throws Exception {
        for (long seq = 1; seq <= 100; seq++) {
            CompletableFuture<Inbox.Batch> answer = poll(phone, seq - 1, Duration.ofSeconds(60));
            session.inbox().append(entry(seq, 0));
            assertThat(seqs(answer.get(5, TimeUnit.SECONDS))).containsExactly(seq);
        }
    }

    @Test
    void a_cancelled_poll_is_never_answered() {
        CompletableFuture<Inbox.Batch> answer = new CompletableFuture<>();
        Inbox.Waiter waiter = session.inbox().await(phone, 0, 100, Duration.ofSeconds(30), answer::complete);
        assertThat(waiter.cancel()).isTrue();
        session.inbox().append(entry(5, 0));
        assertThat(answer).isNotDone();
        assertThat(waiter.cancel()).isFalse();
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
        session.inbox().await(client, after, 100, timeout, answer::complete);
        return answer;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
