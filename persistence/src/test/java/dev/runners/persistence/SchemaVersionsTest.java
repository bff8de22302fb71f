package dev.runners.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class SchemaVersionsTest {
    private static final List<String> H2_FOLDERS = List.of("db/migration/common", "db/migration/h2");

    @Test
    void readsTheVersionFromTheFileNameAsFlywayWritesIt() {
        assertEquals(Optional.of("5.1"), SchemaVersions.version("V5_1__change_feed.sql"));
        assertEquals(Optional.of("12"), SchemaVersions.version("V12__more.sql"));
        assertEquals(Optional.of("2.10.3"), SchemaVersions.version("V2.10_3__x.sql"));
        assertEquals(Optional.empty(), SchemaVersions.version("R__repeatable.sql"));
        assertEquals(Optional.empty(), SchemaVersions.version("README.md"));
    }

    @Test
    void theNewestVersionIsTheOneFlywayMigratesTo() throws Exception {
        String url = "jdbc:h2:mem:schema_versions_" + UUID.randomUUID() + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        var result = Flyway.configure().dataSource(url, "runners", "runners")
                .locations(H2_FOLDERS.stream().map(folder -> "classpath:" + folder).toArray(String[]::new))
                .load().migrate();
        assertTrue(result.migrationsExecuted > 1);
        assertEquals(Optional.of(result.targetSchemaVersion), SchemaVersions.newest(Database.class, H2_FOLDERS));
        try (Connection connection = DriverManager.getConnection(url, "runners", "runners");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM flyway_schema_history ORDER BY installed_rank DESC LIMIT 1")) {
            assertTrue(rows.next());
            assertEquals(result.targetSchemaVersion, rows.getString(1));
        }
    }

    @Test
    void aDatabaseOneMigrationBehindIsMigratedAndAnUpToDateOneIsLeftAsItIs() throws Exception {
        String url = "jdbc:h2:mem:schema_behind_" + UUID.randomUUID()
                + ";DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "runners", "runners")
                .locations(H2_FOLDERS.stream().map(folder -> "classpath:" + folder).toArray(String[]::new))
                .target("5").load().migrate();
        TestStore store = new TestStore() {
            @Override
            Map<String, String> create(String testClass) {
                return Map.of("connection.url", url, "connection.username", "runners", "connection.password", "runners");
            }

            @Override
            void drop() {
            }
        };
        String newest = SchemaVersions.newest(Database.class, H2_FOLDERS).orElseThrow();
        try (Database database = store.open("SchemaVersionsTest")) {
            assertEquals(Optional.of("5"), lastApplied(url));
            database.migrate();
            assertEquals(Optional.of(newest), lastApplied(url));
        }
        try (Database database = store.open("SchemaVersionsTest")) {
            database.migrate();
            assertEquals(Optional.of(newest), lastApplied(url));
            assertTrue(database.ping());
        }
    }

    private static Optional<String> lastApplied(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "runners", "runners");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM flyway_schema_history ORDER BY installed_rank DESC LIMIT 1")) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }
}
