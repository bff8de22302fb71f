package dev.runners.persistence;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the service needs of its connections whatever URL an operator configures, added to the
 * {@code db} settings unless the operator set the same thing:
 * <ul>
 * <li>H2: {@code WRITE_DELAY=0}. By default H2 (2.x, MVStore) writes a commit to its file up to
 * 500 ms later, from a background thread, so {@code kill -9} loses writes already answered 2xx;
 * with 0 the committing thread writes it to the file (the operating system) before it returns.</li>
 * <li>PostgreSQL: driver timeouts, so that a database that stops answering without closing the
 * connection (a partition that drops packets) fails a request within seconds instead of hanging
 * it for as long as the partition lasts.</li>
 * </ul>
 */
final class ConnectionDefaults {
    static final String URL = "connection.url";
    /** Seconds a PostgreSQL query may wait for an answer; the driver then closes the connection. */
    static final String SOCKET_TIMEOUT = "connection.dataSource.socketTimeout";
    /** Seconds to open a TCP connection to PostgreSQL. */
    static final String CONNECT_TIMEOUT = "connection.dataSource.connectTimeout";
    /** Seconds to open a PostgreSQL session, TCP connection and authentication together. */
    static final String LOGIN_TIMEOUT = "connection.dataSource.loginTimeout";

    private ConnectionDefaults() {
    }

    /** The settings of the {@code db} node with the defaults its URL calls for. */
    static Map<String, String> apply(Map<String, String> db) {
        Map<String, String> settings = new HashMap<>(db);
        String url = settings.get(URL);
        if (url == null) {
            return settings;
        }
        if (url.startsWith("jdbc:h2:") && !h2Sets(url, "WRITE_DELAY")) {
            settings.put(URL, url + ";WRITE_DELAY=0");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            // a query never legitimately waits this long here; a pooled connection that does is dead
            settings.putIfAbsent(SOCKET_TIMEOUT, "3");
            settings.putIfAbsent(CONNECT_TIMEOUT, "2");
            settings.putIfAbsent(LOGIN_TIMEOUT, "3");
        }
        return settings;
    }

    /** Whether the H2 URL carries {@code setting} among its {@code ;NAME=VALUE} settings. */
    private static boolean h2Sets(String url, String setting) {
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            String name = parts[i].split("=", 2)[0].trim().toUpperCase(Locale.ROOT);
            if (name.equals(setting)) {
                return true;
            }
        }
        return false;
    }
}
