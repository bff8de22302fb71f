package dev.runners.server.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** A fresh embedded H2 file database under target/, with the options of the default configuration. */
public final class EmbeddedDatabase extends TestDatabase {
    private Path directory;

    @Override
    protected Map<String, String> create(String testClass) throws Exception {
        directory = Files.createDirectories(Path.of("target", "h2", testClass + "-" + UUID.randomUUID()));
        return Map.of(
                "db.connection.url", "jdbc:h2:file:" + directory.toAbsolutePath().resolve("runners")
                        + ";DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE",
                "db.connection.username", "runners",
                "db.connection.password", "runners");
    }

    @Override
    protected void drop() throws Exception {
        if (directory != null && Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
