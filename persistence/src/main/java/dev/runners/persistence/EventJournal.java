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
 * organization and version is queued,
 * which PostgreSQL delivers to every listening instance when, and only if, the transaction commits.
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
     * Two round trips: the counter's increment (which locks the organization's counter row until
     * the commit) returns the version, and the insert of the event also queues the notification
     * on PostgreSQL.
     */
    long append(DbTransaction tx, long organizationId, Change change) {
        long version = tx.createNamedGet(database.dialect("event-counter-next"))
                .addParam("organization_id", organizationId)
                .execute()
                .map(row -> Columns.longValue(row, "version"))
                .orElseThrow(() -> new IllegalStateException("organization " + organizationId + " has no event counter"));
        if (database.isPostgres()) {
            bind(tx.createNamedGet("event-insert-notify"), organizationId, version, change)
                    .addParam("payload", organizationId + ":" + version)
                    .execute();
        } else {
            bind(tx.createNamedInsert("event-insert"), organizationId, version, change).execute();
        }
        Database.afterCommit(() -> listener.committed(organizationId, version));
        return version;
    }

    private <S extends DbStatement<S>> S bind(S statement, long organizationId, long version,
                                                                  Change change) {
        return statement
                .addParam("organization_id", organizationId)
                .addParam("version", version)
                .addParam("event_type", change.type().wireName())
                .addParam("runner_id", change.runnerId())
                .addParam("occurred_at", Columns.timestamp(change.at()))
                .addParam("body", encoder.encode(version, change));
    }
}
