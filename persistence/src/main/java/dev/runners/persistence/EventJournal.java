package dev.runners.persistence;

import java.util.Objects;

import dev.runners.domain.Change;
import dev.runners.domain.ChangeEncoder;
import io.helidon.dbclient.DbStatement;
import io.helidon.dbclient.DbTransaction;

/**
 * Appends the events of writing transactions. Called last in a transaction: the organization's
 * counter row is incremented (and so locked until the commit, which is why it comes last), the
 * event is stored under the new version, and on PostgreSQL a notification that carries the
 * organization and version is queued, which PostgreSQL delivers to every listening instance when,
 * and only if, the transaction commits.
 * Subscribers of this instance are told after the commit, without waiting for the notification.
 */
public final class EventJournal {
    /** Told (organization, version) after a transaction that appended an event has committed. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(long organizationId, long version);
    }

    private final Database database;
    private final ChangeEncoder encoder;
    private volatile CommitListener listener = (organization, version) -> { };

    public EventJournal(Database database, ChangeEncoder encoder) {
        this.database = database;
        this.encoder = Objects.requireNonNull(encoder);
    }

    public void onCommit(CommitListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /**
     * Appends {@code change} to the organization's feed within {@code tx}; returns its version.
     * The event is encoded first, outside the organization's counter lock; on PostgreSQL the
     * increment, the insert and the notification are then one statement, so the lock is held for
     * that statement and the commit.
     */
    long append(DbTransaction tx, long organizationId, Change change) {
        String afterVersion = encoder.encodeAfterVersion(change);
        long version;
        if (database.isPostgres()) {
            version = bind(tx.createNamedGet("event-append-postgresql"), organizationId, change, afterVersion)
                    .execute()
                    .map(row -> Columns.longValue(row, "version"))
                    .orElseThrow(() -> noCounter(organizationId));
        } else {
            version = tx.createNamedGet("event-counter-next-h2")
                    .addParam("organization_id", organizationId)
                    .execute()
                    .map(row -> Columns.longValue(row, "version"))
                    .orElseThrow(() -> noCounter(organizationId));
            bind(tx.createNamedInsert("event-insert-h2"), organizationId, change, afterVersion)
                    .addParam("version", version)
                    .execute();
        }
        Database.afterCommit(() -> listener.committed(organizationId, version));
        return version;
    }

    private static <S extends DbStatement<S>> S bind(S statement, long organizationId, Change change,
                                                     String afterVersion) {
        return statement
                .addParam("organization_id", organizationId)
                .addParam("event_type", change.type().wireName())
                .addParam("runner_id", change.runnerId())
                .addParam("occurred_at", Columns.timestamp(change.at()))
                .addParam("body_after_version", afterVersion);
    }

    private static IllegalStateException noCounter(long organizationId) {
        return new IllegalStateException("organization " + organizationId + " has no event counter");
    }
}
