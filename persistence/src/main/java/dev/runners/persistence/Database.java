package dev.runners.persistence;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbStatements;
import io.helidon.dbclient.DbTransaction;
import org.flywaydb.core.Flyway;

/**
 * The service's database: a pooled Helidon DB Client with the named statements of this module,
 * schema migration, and the translation of JDBC failures into what callers can act on.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Database.class.getName());
    private static final String STATEMENTS = "dev/runners/persistence/statements.yaml";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DbClient client;
    private final String url;
    private final String username;
    private final String password;
    private final AtomicBoolean migrated = new AtomicBoolean();

    private Database(DbClient client, String url, String username, String password) {
        this.client = client;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /**
     * Opens the pool described by the {@code db} configuration node, with {@link ConnectionDefaults}
     * for the database its URL names; does not touch the schema.
     */
    public static Database open(Config db) {
        Config statements = Config.just(ConfigSources.classpath(STATEMENTS)).get("statements");
        Map<String, String> settings = ConnectionDefaults.apply(db.detach().asMap().orElseGet(Map::of));
        DbClient client = DbClient.builder()
                .config(Config.just(ConfigSources.create(settings)))
                .statements(DbStatements.create(statements))
                .build();
        return new Database(client,
                settings.get(ConnectionDefaults.URL),
                settings.get("connection.username"),
                settings.get("connection.password"));
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Brings the schema up to date; safe to call again until it succeeds once. */
    public synchronized void migrate() {
        if (migrated.get()) {
            return;
        }
        List<String> locations = new ArrayList<>(List.of("classpath:db/migration/common"));
        if (isPostgres()) {
            locations.add("classpath:db/migration/postgresql");
        } else if (url.startsWith("jdbc:h2:")) {
            locations.add("classpath:db/migration/h2");
        }
        try {
            Flyway.configure()
                    .dataSource(url, username, password)
                    .locations(locations.toArray(String[]::new))
                    .connectRetries(0)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("database migration failed", e);
        }
        migrated.set(true);
        LOG.log(System.Logger.Level.INFO, "Database schema is up to date");
    }

    /** Runs a cheap query; false when the database does not answer. */
    public boolean ping() {
        try {
            return client.execute().namedGet("ping").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs reads outside a transaction (each statement sees its own snapshot). */
    public <T> T read(Function<DbExecute, T> work) {
        requireMigrated();
        try {
            return work.apply(client.execute());
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Function<DbTransaction, T> work) {
        requireMigrated();
        DbTransaction tx;
        try {
            tx = client.transaction();
        } catch (RuntimeException e) {
            throw translate(e);
        }
        try {
            T result = work.apply(tx);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            try {
                tx.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw translate(e);
        }
    }

    /** Whether {@code e} (or a cause) is a unique-key violation, on either database. */
    static boolean isUniqueViolation(Throwable e) {
        return sqlState(e).filter(UNIQUE_VIOLATION::equals).isPresent();
    }

    private void requireMigrated() {
        if (!migrated.get()) {
            try {
                migrate();
            } catch (StoreUnavailableException e) {
                throw new StoreUnavailableException("database is not ready", e);
            }
        }
    }

    private static RuntimeException translate(RuntimeException e) {
        if (e instanceof StoreUnavailableException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return new StoreUnavailableException("database connection unavailable", e);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exceptions; 57P: PostgreSQL shutting down; 90020/90098: H2 file locked or closed
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("90020")
                        || state.equals("90098") || state.equals("90121")) {
                    return new StoreUnavailableException("database unavailable (" + state + ")", e);
                }
            }
        }
        return e;
    }

    private static Optional<String> sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        client.close();
    }
}
