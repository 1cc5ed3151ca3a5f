package chatd.server.store;

import chatd.server.core.Mutation;
import java.sql.Connection;
import java.sql.SQLException;

/** A mutation that an adapter (federation) writes to its own tables, inside the journal's transaction. */
public interface SqlMutation extends Mutation.Custom {
    void apply(Connection connection, Database.Dialect dialect) throws SQLException;
}
