package chatd.server.store;

import java.util.List;
import java.util.StringJoiner;

/**
 * A statement that writes many rows. On SQLite {@link #perRow} runs once per row, in a JDBC batch. On
 * PostgreSQL {@link #perArray} runs once for all of them, each parameter an array holding one column (read
 * back with {@code unnest}), so that it can share a single statement, and a single round trip, with the
 * rest of its commit. Without {@code perArray}, {@code perRow} is repeated in that statement for each row:
 * for the few rows of a range delete, whose plan needs scalar parameters to find its index (joined to an
 * array of unknown length, PostgreSQL's generic plan may scan the whole table).
 */
public record RowStatement(String perRow, String perArray, List<Column> columns) {
    /** A column's type: what its values are in Java, and the element type of its PostgreSQL array. */
    public enum Column {
        BIGINT("int8"), TEXT("text"), BYTES("bytea");

        final String arrayElement;

        Column(String arrayElement) {
            this.arrayElement = arrayElement;
        }

        /** The column's values as an array the driver encodes as {@link #arrayElement}{@code []}. */
        Object[] array(int size) {
            return switch (this) {
                case BIGINT -> new Long[size];
                case TEXT -> new String[size];
                case BYTES -> new byte[size][];
            };
        }
    }

    public RowStatement(String perRow, String perArray, Column... columns) {
        this(perRow, perArray, List.of(columns));
    }

    /** An insert into {@code table(columns)} of one row per parameter set, followed by {@code conflict} (may be empty). */
    public static RowStatement insert(String tableAndColumns, String conflict, Column... columns) {
        StringJoiner values = new StringJoiner(", ", "VALUES (", ")");
        StringJoiner arrays = new StringJoiner(", ", "SELECT * FROM unnest(", ")");
        for (Column column : columns) {
            values.add("?");
            arrays.add("?::" + column.arrayElement + "[]");
        }
        String into = "INSERT INTO " + tableAndColumns + " ";
        String tail = conflict.isEmpty() ? "" : " " + conflict;
        return new RowStatement(into + values + tail, into + arrays + tail, columns);
    }
}
