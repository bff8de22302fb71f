package dev.runners.persistence;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ConnectionDefaultsTest {
    private static final String H2 = "jdbc:h2:file:./data/runners;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000";
    private static final String POSTGRES = "jdbc:postgresql://db.example:5432/runners";

    @Test
    void anH2DatabaseWritesEachCommitBeforeItReturns() {
        Map<String, String> settings = ConnectionDefaults.apply(Map.of("connection.url", H2));
        assertEquals(H2 + ";WRITE_DELAY=0", settings.get("connection.url"));
        assertNull(settings.get(ConnectionDefaults.SOCKET_TIMEOUT), "H2 refuses settings it does not know");
    }

    @Test
    void aWriteDelayTheOperatorChoseIsKept() {
        String url = "jdbc:h2:file:/var/lib/runners/db;write_delay=100;LOCK_TIMEOUT=10000";
        assertEquals(url, ConnectionDefaults.apply(Map.of("connection.url", url)).get("connection.url"));
    }

    @Test
    void aPostgresConnectionGetsTimeoutsUnlessConfigured() {
        Map<String, String> settings = ConnectionDefaults.apply(Map.of("connection.url", POSTGRES,
                "connection.dataSource.socketTimeout", "30", "connection.username", "runners"));
        assertEquals(POSTGRES, settings.get("connection.url"));
        assertEquals("30", settings.get(ConnectionDefaults.SOCKET_TIMEOUT));
        assertEquals("2", settings.get(ConnectionDefaults.CONNECT_TIMEOUT));
        assertEquals("3", settings.get(ConnectionDefaults.LOGIN_TIMEOUT));
        assertEquals("runners", settings.get("connection.username"));
    }

    @Test
    void aPostgresConnectionWithoutSettingsGetsEveryTimeout() {
        Map<String, String> settings = ConnectionDefaults.apply(Map.of("connection.url", POSTGRES));
        assertEquals("3", settings.get(ConnectionDefaults.SOCKET_TIMEOUT));
    }
}
