package dev.gearfarm.gearmand.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL or MySQL/MariaDB through JDBC: one table, one row per background job, one transaction per
 * batch (inserts and deletes sent as JDBC batches). The table is created when missing. One connection,
 * used by the store thread only; after any error it is closed and the next batch connects again, so the
 * store recovers by itself when the database comes back.
 *
 * <p>One server per table: ids are the server's job sequence numbers, continued from the largest one in
 * the table at start-up.
 */
public final class JdbcStore implements JobStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** The SQL that differs between the databases. */
    public enum Dialect {
        POSTGRES("postgres", "BYTEA", ""),
        MYSQL("mysql", "LONGBLOB", " ENGINE=InnoDB");

        private final String displayName;
        private final String blobType;
        private final String tableSuffix;

        Dialect(String displayName, String blobType, String tableSuffix) {
            this.displayName = displayName;
            this.blobType = blobType;
            this.tableSuffix = tableSuffix;
        }

        String createTable(String table) {
            return "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT NOT NULL PRIMARY KEY,"
                    + " function_name VARCHAR(512) NOT NULL, unique_key VARCHAR(64) NOT NULL,"
                    + " priority INTEGER NOT NULL, when_to_run BIGINT NOT NULL, reducer TEXT, data " + blobType
                    + " NOT NULL)" + tableSuffix;
        }
    }

    private final Dialect dialect;
    private final String url;
    private final Properties properties;
    private final String table;
    private final String where;
    private Connection connection;
    private PreparedStatement insert;
    private PreparedStatement delete;

    /**
     * @param url        a {@code jdbc:postgresql:} or {@code jdbc:mariadb:}/{@code jdbc:mysql:} URL
     * @param properties user, password and driver settings
     * @param table      an unquoted SQL identifier
     */
    public JdbcStore(Dialect dialect, String url, Properties properties, String table) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("queue table name must be letters, digits and _ (not starting with"
                    + " a digit), at most 63 characters: " + table);
        }
        this.dialect = dialect;
        this.url = url;
        this.properties = properties;
        this.table = table;
        this.where = dialect.displayName + " " + redact(url) + " table " + table;
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public List<StoredJob> replay() {
        try {
            connect();
            List<StoredJob> jobs = new ArrayList<>();
            try (Statement select = connection.createStatement()) {
                select.setFetchSize(1000);
                try (ResultSet rows = select.executeQuery("SELECT id, function_name, unique_key, priority,"
                        + " when_to_run, reducer, data FROM " + table + " ORDER BY id")) {
                    while (rows.next()) {
                        jobs.add(new StoredJob(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getInt(4),
                                rows.getLong(5), rows.getString(6), rows.getBytes(7)));
                    }
                }
            }
            connection.commit();
            log.info("{}: {} jobs", where, jobs.size());
            return jobs;
        } catch (SQLException e) {
            disconnect();
            throw new StoreException("cannot open " + where + ": " + e.getMessage(), e);
        }
    }

    private void connect() throws SQLException {
        if (connection != null) {
            return;
        }
        Connection opened = DriverManager.getConnection(url, properties);
        try {
            opened.setAutoCommit(true);
            try (Statement create = opened.createStatement()) {
                create.execute(dialect.createTable(table));
            }
            opened.setAutoCommit(false);
            insert = opened.prepareStatement("INSERT INTO " + table
                    + " (id, function_name, unique_key, priority, when_to_run, reducer, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
            delete = opened.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
        connection = opened;
    }

    @Override
    public void write(List<StoredJob> adds, List<Long> removes) {
        try {
            connect();
            if (!adds.isEmpty()) {
                for (StoredJob job : adds) {
                    insert.setLong(1, job.id());
                    insert.setString(2, job.function());
                    insert.setString(3, job.unique());
                    insert.setInt(4, job.priority());
                    insert.setLong(5, job.whenToRun());
                    insert.setString(6, job.reducer());
                    insert.setBytes(7, job.data());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            if (!removes.isEmpty()) {
                for (long id : removes) {
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            disconnect();
            throw new StoreException(firstLine(e), e);
        }
    }

    private static String firstLine(SQLException e) {
        SQLException next = e.getNextException();
        String message = String.valueOf(e.getMessage());
        if (next != null && next.getMessage() != null) {
            message = next.getMessage();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // The connection is being dropped anyway.
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Likewise.
            }
            connection = null;
            insert = null;
            delete = null;
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
