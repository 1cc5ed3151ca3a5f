package chatd.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Who writes a commit's answers: one thread for a few, every writer for many, each answer once. */
class PollTimerTest {
    @Test
    void many_answers_are_shared_between_the_writers_and_each_runs_once() throws Exception {
        try (PollTimer timer = new PollTimer(2)) {
            int count = 3 * PollTimer.ANSWERS_PER_WRITER + 7;
            Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(count);
            List<Runnable> due = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int answer = i;
                due.add(() -> {
                    threads.add(Thread.currentThread().getName());
                    runs.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
                    done.countDown();
                });
            }
            timer.answer(due);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(runs).hasSize(count);
            assertThat(runs.values()).allMatch(n -> n.get() == 1);
            assertThat(threads).containsExactlyInAnyOrder("chatd-poll-timer", "chatd-poll-answers-0", "chatd-poll-answers-1");
        }
    }

    @Test
    void a_few_answers_stay_on_the_timer_thread() throws Exception {
        try (PollTimer timer = new PollTimer(2)) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(PollTimer.ANSWERS_PER_WRITER + 1);
            List<Runnable> due = new ArrayList<>();
            for (int i = 0; i < PollTimer.ANSWERS_PER_WRITER + 1; i++) {
                due.add(() -> {
                    threads.add(Thread.currentThread().getName());
                    done.countDown();
                });
            }
            timer.answer(due);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).containsExactly("chatd-poll-timer");
        }
    }
}
