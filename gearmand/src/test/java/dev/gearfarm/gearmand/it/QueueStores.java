package dev.gearfarm.gearmand.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * The persistent queues the integration tests run against: the journal in a temporary directory, and
 * the machine's PostgreSQL and MariaDB ({@code test} database on loopback), each test with a table of
 * its own. A database that cannot be reached skips the test, or fails it under
 * {@code -Dgearman.peers.required=true}.
 */
final class QueueStores {
    static final String PG_HOST = "127.0.0.1";
    static final int PG_PORT = 5432;
    static final String PG_USER = "postgres";
    static final String MYSQL_HOST = "127.0.0.1";
    static final int MYSQL_PORT = 3306;
    static final String MYSQL_USER = "root";
    static final String DB = "test";

    private QueueStores() {
    }

    /** A table name no other test run uses. */
    static String uniqueTable(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Server flags for store {@code kind} (journal, postgres, mysql) reached at {@code port}. */
    static List<String> args(String kind, Path dir, String table, int port) {
        return switch (kind) {
            case "journal" -> List.of("-q", "journal", "--queue-dir", dir.toString());
            case "postgres" -> List.of("-q", "Postgres", "--libpq-conninfo", "host=" + PG_HOST + " port=" + port
                    + " dbname=" + DB + " user=" + PG_USER, "--libpq-table", table);
            case "mysql" -> List.of("-q", "MySQL", "--mysql-host", MYSQL_HOST, "--mysql-port", String.valueOf(port),
                    "--mysql-user", MYSQL_USER, "--mysql-db", DB, "--mysql-table", table);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The database's own port. */
    static int port(String kind) {
        return "postgres".equals(kind) ? PG_PORT : MYSQL_PORT;
    }

    /** Skips or fails (CI) unless the database of {@code kind} answers; nothing for the journal. */
    static void requireReachable(String kind) {
        if ("journal".equals(kind)) {
            return;
        }
        try (Connection connection = connect(kind)) {
            connection.isValid(5);
        } catch (SQLException e) {
            Peers.requireThat(false, kind + " at " + (kind.equals("postgres") ? PG_HOST + ":" + PG_PORT
                    : MYSQL_HOST + ":" + MYSQL_PORT) + " database " + DB + " is not reachable (" + e.getMessage()
                    + "); it is needed for the persistent-queue tests (.ci/run starts it)");
        }
    }

    static Connection connect(String kind) throws SQLException {
        DriverManager.setLoginTimeout(5);
        return "postgres".equals(kind)
                ? DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + DB, PG_USER, "")
                : DriverManager.getConnection("jdbc:mariadb://" + MYSQL_HOST + ":" + MYSQL_PORT + "/" + DB, MYSQL_USER, "");
    }

    /** Drops a test's table; nothing for the journal. */
    static void drop(String kind, String table) {
        if ("journal".equals(kind)) {
            return;
        }
        try (Connection connection = connect(kind); Statement drop = connection.createStatement()) {
            drop.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            System.err.println("could not drop test table " + table + ": " + e.getMessage());
        }
    }
}
