package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.core.Mutation;
import chatd.server.core.Snapshot;
import chatd.server.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stored message keeps its recipients in its own row until it is settled; the queues read at start-up
 * must be the same before and after settling: every recipient that has not acknowledged a message has
 * it queued, nobody else. On the test engine (SQLite file, or PostgreSQL in CI's second pass).
 */
class SettleQueuesTest {
    private static final Set<Long> ALL_CLIENTS = Set.of(11L, 12L, 21L, 31L);
    private Database db;
    private JdbcStore store;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(TestDatabases.fresh());
        store = new JdbcStore(db);
        write(List.of(
                new Mutation.SaveSession(1, "ann", null, null, 0),
                new Mutation.SaveSession(2, "bob", null, null, 0),
                new Mutation.SaveSession(3, "cat", null, null, 0),
                new Mutation.SaveClient(11, 1, "t11", 0, "phone", 0),
                new Mutation.SaveClient(12, 1, "t12", 0, "laptop", 0),
                new Mutation.SaveClient(21, 2, "t21", 0, "phone", 0),
                new Mutation.SaveClient(31, 3, "t31", 0, "phone", 0),
                message(1, new Mutation.Recipient(1, 0), new Mutation.Recipient(2, 0), new Mutation.Recipient(3, 0)),
                message(2, new Mutation.Recipient(1, 12)),
                message(3, new Mutation.Recipient(2, 0), new Mutation.Recipient(3, 0))));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void unacknowledged_recipients_keep_their_entries_through_settling() throws Exception {
        // bob has read message 1; ann's two devices and cat have read nothing.
        write(List.of(new Mutation.TouchClient(21, 2, 1, 0, 1)));
        Map<Long, Long> pendingFrom = Map.of(1L, 1L, 2L, 2L, 3L, 1L);
        List<String> expected = List.of("1/1/0", "1/2/12", "2/3/0", "3/1/0", "3/3/0");

        assertThat(queued()).isEqualTo(expected);

        write(List.of(new Mutation.SettleQueues(0, 2, pendingFrom, ALL_CLIENTS)));
        assertThat(queued()).as("after settling messages 1 and 2 (3 still carries its list)").isEqualTo(expected);
        assertThat(unsettled()).containsExactly(3L);

        write(List.of(new Mutation.SettleQueues(2, 3, pendingFrom, ALL_CLIENTS)));
        assertThat(queued()).isEqualTo(expected);
        assertThat(unsettled()).isEmpty();
    }

    @Test
    void entries_acknowledged_or_for_a_removed_client_are_not_queued_again() throws Exception {
        // ann's laptop is gone, cat has read everything.
        write(List.of(
                new Mutation.DeleteClient(12),
                new Mutation.TouchClient(31, 3, 3, 0, 3),
                new Mutation.SettleQueues(0, 1, Map.of(1L, 1L, 2L, 1L, 3L, 4L), Set.of(11L, 21L, 31L))));

        assertThat(queued()).containsExactly("1/1/0", "2/1/0", "2/3/0");

        write(List.of(new Mutation.TouchClient(11, 1, 1, 0, 1),
                new Mutation.SettleQueues(1, 3, Map.of(1L, 2L, 2L, 1L, 3L, 4L), Set.of(11L, 21L, 31L))));
        assertThat(queued()).containsExactly("2/1/0", "2/3/0");
    }

    @Test
    void entries_that_left_the_queue_in_memory_get_no_row() throws Exception {
        // cat's queue was pushed past message 1 (QUEUE_MAX); bob's session no longer exists.
        write(List.of(new Mutation.SettleQueues(0, 3, Map.of(1L, 1L, 3L, 2L), ALL_CLIENTS)));

        assertThat(queued()).as("cat keeps only message 3, bob nothing").containsExactly("1/1/0", "1/2/12", "3/3/0");
        assertThat(unsettled()).isEmpty();
    }

    private static Mutation.StoreMessage message(long seq, Mutation.Recipient... to) {
        byte[] json = ("{\"id\":\"m" + seq + "\"}").getBytes(StandardCharsets.UTF_8);
        return new Mutation.StoreMessage(seq, "m" + seq, null, "PRIVMSG", seq, json, List.of(to));
    }

    private void write(List<Mutation> mutations) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            store.apply(Statements.once(c), mutations, null, null);
            c.commit();
        }
    }

    /** session/seq/client of every queued entry after a start-up read, in the order the core gets them. */
    private List<String> queued() {
        List<String> out = new ArrayList<>();
        for (Snapshot.InboxRow row : store.load(10).inbox()) {
            out.add(row.sessionId() + "/" + row.seq() + "/" + row.clientId());
        }
        return out;
    }

    private List<Long> unsettled() throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection()) {
            JdbcStore.query(c, "SELECT seq FROM messages WHERE recipients IS NOT NULL ORDER BY seq", rs -> seqs.add(rs.getLong(1)));
        }
        return seqs;
    }
}
