package dev.gearfarm.gearmand.config;

import dev.gearfarm.gearmand.store.JdbcStore;
import dev.gearfarm.gearmand.store.JdbcStore.Dialect;
import dev.gearfarm.gearmand.store.JobStore;
import dev.gearfarm.gearmand.store.JournalStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The persistent-queue flags ({@code -q} and the store's connection settings), and the store they make.
 *
 * @param type          which store
 * @param dir           the journal's directory ({@code --queue-dir})
 * @param jdbcUrl       a JDBC URL that overrides the host/port/database flags; may carry user and password
 * @param conninfo      PostgreSQL: a libpq conninfo, {@code key=value ...} (host, hostaddr, port, dbname,
 *                      user, password, connect_timeout) or a {@code postgresql://} URI
 * @param libpqTable    PostgreSQL table
 * @param mysqlHost     MySQL/MariaDB host
 * @param mysqlPort     MySQL/MariaDB port
 * @param mysqlUser     MySQL/MariaDB user
 * @param mysqlPassword MySQL/MariaDB password
 * @param mysqlDb       MySQL/MariaDB database
 * @param mysqlTable    MySQL/MariaDB table
 */
public record QueueOptions(Type type, Path dir, String jdbcUrl, String conninfo, String libpqTable, String mysqlHost,
        int mysqlPort, String mysqlUser, String mysqlPassword, String mysqlDb, String mysqlTable) {

    /** The stores, by the names {@code -q} accepts (case-insensitive; C gearmand's names too). */
    public enum Type {
        MEMORY("memory", "builtin", "none"),
        JOURNAL("journal", "embedded"),
        POSTGRES("postgres", "postgresql", "libpq"),
        MYSQL("mysql", "mariadb");

        private final String[] names;

        Type(String... names) {
            this.names = names;
        }

        /** The type called {@code name}. */
        public static Type parse(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Type type : values()) {
                for (String candidate : type.names) {
                    if (candidate.equals(lower)) {
                        return type;
                    }
                }
            }
            throw new IllegalArgumentException("unknown queue type '" + name
                    + "'; use memory, journal, postgres or mysql");
        }
    }

    /** Driver settings: fail fast on a dead database instead of hanging the store thread. */
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final int SOCKET_TIMEOUT_SECONDS = 60;

    /** The store these options describe; null for {@link Type#MEMORY}. Opens nothing yet. */
    public JobStore newStore() {
        return switch (type) {
            case MEMORY -> null;
            case JOURNAL -> {
                if (dir == null) {
                    throw new IllegalArgumentException("-q journal needs --queue-dir DIR (or GEARMAND_QUEUE_DIR)");
                }
                yield new JournalStore(dir);
            }
            case POSTGRES -> postgres();
            case MYSQL -> mysql();
        };
    }

    private JobStore postgres() {
        Properties properties = new Properties();
        String url = jdbcUrl;
        if (isBlank(url)) {
            Map<String, String> info = parseConninfo(conninfo == null ? "" : conninfo);
            String host = info.getOrDefault("hostaddr", info.getOrDefault("host", "localhost"));
            String port = info.getOrDefault("port", "5432");
            String user = info.getOrDefault("user", System.getProperty("user.name"));
            String db = info.getOrDefault("dbname", user);
            url = "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(db, StandardCharsets.UTF_8);
            properties.setProperty("user", user);
            if (info.containsKey("password")) {
                properties.setProperty("password", info.get("password"));
            }
            properties.setProperty("connectTimeout", info.getOrDefault("connect_timeout",
                    Integer.toString(CONNECT_TIMEOUT_SECONDS)));
        } else {
            properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        }
        properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        properties.setProperty("reWriteBatchedInserts", "true");
        properties.setProperty("ApplicationName", "gearmand");
        return new JdbcStore(Dialect.POSTGRES, url, properties, libpqTable);
    }

    private JobStore mysql() {
        Properties properties = new Properties();
        String url = jdbcUrl;
        if (isBlank(url)) {
            url = "jdbc:mariadb://" + mysqlHost + ":" + mysqlPort + "/" + mysqlDb;
            properties.setProperty("user", mysqlUser);
            if (!isBlank(mysqlPassword)) {
                properties.setProperty("password", mysqlPassword);
            }
        }
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS * 1000));
        properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS * 1000));
        return new JdbcStore(Dialect.MYSQL, url, properties, mysqlTable);
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    /**
     * A libpq conninfo: {@code key=value} pairs separated by spaces, values optionally in single quotes
     * with {@code \\'} escapes; or a {@code postgresql://user:password@host:port/dbname} URI.
     */
    static Map<String, String> parseConninfo(String conninfo) {
        Map<String, String> info = new LinkedHashMap<>();
        String text = conninfo.trim();
        if (text.startsWith("postgresql://") || text.startsWith("postgres://")) {
            java.net.URI uri = java.net.URI.create(text);
            if (uri.getHost() != null) {
                info.put("host", uri.getHost());
            }
            if (uri.getPort() > 0) {
                info.put("port", Integer.toString(uri.getPort()));
            }
            if (uri.getPath() != null && uri.getPath().length() > 1) {
                info.put("dbname", uri.getPath().substring(1));
            }
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                info.put("user", parts[0]);
                if (parts.length == 2) {
                    info.put("password", parts[1]);
                }
            }
            return info;
        }
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i == text.length()) {
                break;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                throw new IllegalArgumentException("--libpq-conninfo: expected key=value at '" + text.substring(i) + "'");
            }
            String key = text.substring(i, equals).trim();
            i = equals + 1;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '\'') {
                i++;
                while (i < text.length() && text.charAt(i) != '\'') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                if (i == text.length()) {
                    throw new IllegalArgumentException("--libpq-conninfo: unterminated quote in " + key);
                }
                i++;
            } else {
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                    value.append(text.charAt(i++));
                }
            }
            if (!Map.of("host", 1, "hostaddr", 1, "port", 1, "dbname", 1, "user", 1, "password", 1,
                    "connect_timeout", 1).containsKey(key)) {
                throw new IllegalArgumentException("--libpq-conninfo: unsupported key '" + key
                        + "' (host, hostaddr, port, dbname, user, password, connect_timeout; or use --jdbc-url)");
            }
            info.put(key, value.toString());
        }
        return info;
    }
}
