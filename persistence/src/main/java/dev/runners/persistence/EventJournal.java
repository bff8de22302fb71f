package dev.runners.persistence;

import java.util.Objects;

import dev.runners.domain.Change;
import dev.runners.domain.ChangeEncoder;
import io.helidon.dbclient.DbTransaction;

/**
 * Appends the events of writing transactions. Called last in a transaction: the organization's
 * counter row is incremented (and so locked until the commit), the event is stored under the new
 * version, and on PostgreSQL a notification that carries the organization and version is queued,
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

    /** Appends {@code change} to the organization's feed within {@code tx}; returns its version. */
    long append(DbTransaction tx, long organizationId, Change change) {
        tx.createNamedUpdate("event-counter-increment").addParam("organization_id", organizationId).execute();
        long version = tx.createNamedGet("event-counter").addParam("organization_id", organizationId).execute()
                .map(row -> Columns.longValue(row, "version"))
                .orElseThrow(() -> new IllegalStateException("organization " + organizationId + " has no event counter"));
        tx.createNamedInsert("event-insert")
                .addParam("organization_id", organizationId)
                .addParam("version", version)
                .addParam("event_type", change.type().wireName())
                .addParam("runner_id", change.runnerId())
                .addParam("occurred_at", Columns.timestamp(change.at()))
                .addParam("body", encoder.encode(version, change))
                .execute();
        if (database.isPostgres()) {
            tx.createNamedGet("event-notify").addParam("payload", organizationId + ":" + version).execute();
        }
        Database.afterCommit(() -> listener.committed(organizationId, version));
        return version;
    }
}
