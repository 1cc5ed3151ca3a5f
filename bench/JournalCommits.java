import chatd.server.core.Mutation;
import chatd.server.store.Database;
import chatd.server.store.GroupCommitJournal;
import chatd.server.store.JdbcStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The group-commit journal alone, without HTTP or the load generator: commits of ingest's shape (10 messages
 * over 50 channels, 10 recipients each), one after another, and what each costs the journal thread in CPU
 * and in time. Run by bench/journal-commits.sh with a server jar on the class path, so that two builds can be
 * compared on the same database without the noise of a whole server on a shared machine.
 */
public class JournalCommits {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int commits = Integer.parseInt(args[1]);
        try (Database db = Database.open(url)) {
            long[] seq = {0};
            GroupCommitJournal journal = new GroupCommitJournal(new JdbcStore(db), () -> new long[] {seq[0], 1, 1, 1});
            byte[] json = ("{\"command\":\"PRIVMSG\",\"params\":[\"#c\",\"" + "hello world ".repeat(15) + "\"]}").getBytes();
            List<Mutation.Recipient> recipients = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                recipients.add(new Mutation.Recipient(i, 0));
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long writer = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("chatd-journal")).findFirst().orElseThrow().threadId();
            long cpuAtStart = 0;
            long startedAt = 0;
            for (int i = 0; i < 2 * commits; i++) {
                if (i == commits) { // the first half warms up the JIT and the statements
                    cpuAtStart = threads.getThreadCpuTime(writer);
                    startedAt = System.nanoTime();
                }
                List<Mutation> batch = new ArrayList<>();
                for (int m = 0; m < 10; m++) {
                    long s = ++seq[0];
                    batch.add(new Mutation.StoreMessage(s, "m" + s, "#c" + s % 50, "PRIVMSG", s, json, recipients));
                }
                journal.submit(batch, () -> { }).get();
            }
            double cpu = (threads.getThreadCpuTime(writer) - cpuAtStart) / 1e3 / commits;
            double wall = (System.nanoTime() - startedAt) / 1e3 / commits;
            System.out.printf("%d commits of 10 messages: journal thread CPU %.1f µs a commit, %.1f µs from submit to commit%n",
                    commits, cpu, wall);
            journal.close();
        }
    }
}
