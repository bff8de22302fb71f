package dev.runners.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbStatements;
import io.helidon.dbclient.DbTransaction;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The service's database: a pooled Helidon DB Client with the named statements of this module,
 * schema migration, and the translation of JDBC failures into what callers can act on.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Database.class.getName());
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String MIGRATIONS = "db/migration";

    private final DbClient client;
    private final DbStatements statements;
    private final Map<String, JdbcText> jdbcTexts = new ConcurrentHashMap<>();
    private final String url;
    private final String username;
    private final String password;
    private final AtomicBoolean migrated = new AtomicBoolean();
    /** What the transaction running on this thread does once it has committed. */
    private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

    private Database(DbClient client, DbStatements statements, String url, String username, String password) {
        this.client = client;
        this.statements = statements;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /**
     * Opens the pool described by the {@code db} configuration node, with {@link ConnectionDefaults}
     * for the database its URL names; does not touch the schema.
     */
    public static Database open(Config db) {
        return open(db, true);
    }

    /**
     * As {@link #open(Config)}; without {@code statementSpans} the DB Client services of the
     * configuration ({@code db.services.*}: the statement tracing) are left out, which with tracing
     * off would only make no-op spans, at about 2% of the CPU of a write.
     */
    public static Database open(Config db, boolean statementSpans) {
        DbStatements.Builder named = DbStatements.builder();
        NamedStatements.load().forEach(named::addStatement);
        DbStatements statements = named.build();
        Map<String, String> configured = new java.util.HashMap<>(db.detach().asMap().orElseGet(Map::of));
        if (!statementSpans) {
            configured.keySet().removeIf(key -> key.startsWith("services."));
        }
        Map<String, String> settings = ConnectionDefaults.apply(configured);
        DbClient client = DbClient.builder()
                .config(Config.just(ConfigSources.create(settings)))
                .statements(statements)
                .build();
        return new Database(client, statements,
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
        List<String> folders = new ArrayList<>(List.of(MIGRATIONS + "/common"));
        if (isPostgres()) {
            folders.add(MIGRATIONS + "/postgresql");
        } else if (url.startsWith("jdbc:h2:")) {
            folders.add(MIGRATIONS + "/h2");
        }
        Optional<String> current = SchemaVersions.newest(Database.class, folders)
                .filter(newest -> newest.equals(appliedVersion().orElse(null)));
        if (current.isPresent()) {
            // the schema is at this build's newest migration: Flyway (about 1,900 classes to load
            // with its JSON and YAML parsers, a scan and a validation) is not needed to start
            migrated.set(true);
            LOG.log(System.Logger.Level.INFO, "Database schema found at version " + current.get() + " (up to date)");
            return;
        }
        String[] locations = folders.stream().map(folder -> "classpath:" + folder).toArray(String[]::new);
        MigrateResult result;
        try {
            result = Flyway.configure()
                    .dataSource(url, username, password)
                    .locations(locations)
                    .connectRetries(0)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("database migration failed", e);
        }
        migrated.set(true);
        LOG.log(System.Logger.Level.INFO, schemaReport(result));
    }

    /**
     * The version of the last migration applied to this database, when it succeeded; empty when
     * there is none (an empty database), it failed, or the history cannot be read.
     */
    private Optional<String> appliedVersion() {
        try {
            return client.execute().namedGet("schema-version")
                    .filter(row -> Columns.bool(row, "success"))
                    .map(row -> Columns.string(row, "version"));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What the migration found and did, for the start-up log. */
    private static String schemaReport(MigrateResult result) {
        if (result.migrationsExecuted == 0) {
            return "Database schema found at version " + result.initialSchemaVersion + " (up to date)";
        }
        return "Database schema migrated from "
                + (result.initialSchemaVersion == null ? "empty" : "version " + result.initialSchemaVersion)
                + " to version " + result.targetSchemaVersion;
    }

    /** Runs a cheap query; false when the database does not answer. */
    public boolean ping() {
        try {
            return client.execute().namedGet("ping").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The name of the spelling of statement {@code name} for this database ({@code name-postgresql}
     * or {@code name-h2}), for the few statements the two spell differently (RETURNING on
     * PostgreSQL, a FINAL TABLE on H2).
     */
    String dialect(String name) {
        return name + (isPostgres() ? "-postgresql" : "-h2");
    }

    /**
     * Runs one named writing statement that returns its rows (RETURNING on PostgreSQL, a FINAL
     * TABLE on H2) in a transaction of its own, committed before this returns (durable as every
     * commit): the pool hands out its connections in auto-commit, its default, which it restores
     * when a transaction's connection comes back. One round trip, without the round trips of
     * {@link #inTransaction} nor the DB Client's per-statement work (it parses the named statement
     * on every call and builds a map per row). For a write that is complete in one statement and
     * emits no event.
     */
    <T> T writeAlone(String statement, Map<String, Object> parameters, RowsReader<T> reader) {
        return readRows(statement, parameters, reader);
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

    /**
     * Runs a named read on a connection of the DB Client's pool and hands its result set to
     * {@code reader}, which reads the columns by index. For the long reads (lists, pages): the DB
     * Client's own rows read every column's metadata again for every row and keep a map per row,
     * which cost about a third of the CPU of a list of 1,000 runners.
     */
    <T> T readRows(String statement, Map<String, Object> parameters, RowsReader<T> reader) {
        requireMigrated();
        try (Connection connection = client.unwrap(Connection.class);
             PreparedStatement query = prepare(connection, statement, parameters);
             ResultSet rows = query.executeQuery()) {
            return reader.read(rows);
        } catch (SQLException e) {
            throw translate(new IllegalStateException("statement " + statement + " failed", e));
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Reads a whole result set. */
    @FunctionalInterface
    interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
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
        List<Runnable> afterCommit = new ArrayList<>();
        AFTER_COMMIT.set(afterCommit);
        try {
            T result = work.apply(tx);
            tx.commit();
            AFTER_COMMIT.remove();
            afterCommit.forEach(Runnable::run);
            return result;
        } catch (RuntimeException e) {
            AFTER_COMMIT.remove();
            try {
                tx.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw translate(e);
        }
    }

    /**
     * Runs {@code work} in one transaction over plain JDBC, on a connection of the DB Client's pool
     * taken for it alone: committed when it returns, rolled back when it throws; what it registered
     * with {@link #afterCommit} runs once it has committed. Failures map as {@link #inTransaction}'s
     * do (a connection failure is a {@link StoreUnavailableException}; a unique violation keeps its
     * SQL state for {@link #isUniqueViolation}). Its statements are the named statements in their
     * JDBC form, parsed once, without the DB Client's work on every statement (parsing the named
     * text, a map per row): for the hot writes (a pod report and its event).
     */
    <T> T inJdbcTransaction(Function<JdbcTransaction, T> work) {
        requireMigrated();
        List<Runnable> afterCommit = new ArrayList<>();
        T result;
        try (Connection connection = client.unwrap(Connection.class)) {
            // the pool restores auto-commit when the connection comes back, and rolls back what
            // a failed transaction left
            connection.setAutoCommit(false);
            AFTER_COMMIT.set(afterCommit);
            try {
                result = work.apply(new JdbcTransaction(this, connection));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                AFTER_COMMIT.remove();
            }
        } catch (SQLException e) {
            throw translate(new IllegalStateException("transaction failed", e));
        } catch (RuntimeException e) {
            throw translate(e);
        }
        afterCommit.forEach(Runnable::run);
        return result;
    }

    /** The statements of one {@link #inJdbcTransaction}, on its connection. */
    static final class JdbcTransaction {
        private final Database database;
        private final Connection connection;

        private JdbcTransaction(Database database, Connection connection) {
            this.database = database;
            this.connection = connection;
        }

        /** Runs a named statement that returns rows, and hands them to {@code reader}. */
        <T> T query(String statement, Map<String, Object> parameters, RowsReader<T> reader) {
            try (PreparedStatement prepared = database.prepare(connection, statement, parameters);
                 ResultSet rows = prepared.executeQuery()) {
                return reader.read(rows);
            } catch (SQLException e) {
                throw new IllegalStateException("statement " + statement + " failed", e);
            }
        }

        /** Runs a named writing statement that returns no rows; how many rows it wrote. */
        long update(String statement, Map<String, Object> parameters) {
            try (PreparedStatement prepared = database.prepare(connection, statement, parameters)) {
                return prepared.executeLargeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("statement " + statement + " failed", e);
            }
        }
    }

    /** Named statement {@code statement} in its JDBC form on {@code connection}, its parameters bound by name. */
    private PreparedStatement prepare(Connection connection, String statement, Map<String, Object> parameters)
            throws SQLException {
        JdbcText text = jdbcTexts.computeIfAbsent(statement, name -> JdbcText.of(statements.statement(name)));
        PreparedStatement prepared = connection.prepareStatement(text.sql());
        try {
            List<String> names = text.parameters();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                Object value = parameters.get(name);
                if (value == null && !parameters.containsKey(name)) {
                    throw new IllegalArgumentException("no value for :" + name + " of " + statement);
                }
                prepared.setObject(i + 1, value);
            }
            return prepared;
        } catch (SQLException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    /** Runs {@code action} once the transaction running on this thread has committed; never if it rolls back. */
    static void afterCommit(Runnable action) {
        List<Runnable> actions = AFTER_COMMIT.get();
        if (actions == null) {
            throw new IllegalStateException("no transaction on this thread");
        }
        actions.add(action);
    }

    /** The text of a named statement, for the rare statement that runs outside the DB Client. */
    String statementText(String name) {
        return statements.statement(name);
    }

    /** A connection of its own, outside the pool, for a long-lived session such as LISTEN. */
    java.sql.Connection dedicatedConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(url, username, password);
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
