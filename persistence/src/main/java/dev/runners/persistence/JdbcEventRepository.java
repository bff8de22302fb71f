package dev.runners.persistence;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.runners.domain.ChangeType;
import dev.runners.domain.EventRepository;
import dev.runners.domain.FeedEvent;
import io.helidon.dbclient.DbRow;

/**
 * The stored change feed on Helidon DB Client. Its reads of an organization's feed first let the
 * {@link EventJournal} number what was committed ({@link EventJournal#settle}), so they find the event
 * of every write that returned before them.
 */
public final class JdbcEventRepository implements EventRepository {
    private final Database database;
    private final EventJournal journal;

    public JdbcEventRepository(Database database, EventJournal journal) {
        this.database = database;
        this.journal = journal;
    }

    @Override
    public long currentVersion(long organizationId) {
        journal.settle(organizationId);
        return database.read(exec -> exec.createNamedGet("event-counter")
                .addParam("organization_id", organizationId)
                .execute()
                .map(row -> Columns.longValue(row, "version"))
                .orElse(0L));
    }

    @Override
    public List<FeedEvent> after(long organizationId, long since, int limit) {
        journal.settle(organizationId);
        return database.read(exec -> {
            try (Stream<DbRow> rows = exec.createNamedQuery("events-after")
                    .addParam("organization_id", organizationId)
                    .addParam("since", since)
                    .addParam("limit", limit)
                    .execute()) {
                return rows.map(row -> new FeedEvent(
                        Columns.longValue(row, "version"),
                        ChangeType.fromWire(Columns.string(row, "event_type")).orElseThrow(),
                        Columns.longValue(row, "runner_id"),
                        Columns.instant(row, "occurred_at"),
                        Columns.string(row, "body"))).toList();
            }
        });
    }

    @Override
    public boolean retainsAfter(long organizationId, long since, Instant retainedFrom) {
        return database.read(exec -> {
            long current = exec.createNamedGet("event-counter").addParam("organization_id", organizationId).execute()
                    .map(row -> Columns.longValue(row, "version")).orElse(0L);
            if (since >= current) {
                return true;
            }
            return exec.createNamedGet("event-occurred-at")
                    .addParam("organization_id", organizationId)
                    .addParam("version", since + 1)
                    .execute()
                    .map(row -> !Columns.instant(row, "occurred_at").isBefore(retainedFrom))
                    .orElse(false);
        });
    }

    @Override
    public int deleteBefore(Instant retainedFrom) {
        return (int) (long) database.inTransaction(tx -> tx.createNamedDelete("events-delete-before")
                .addParam("retained_from", Columns.timestamp(retainedFrom))
                .execute());
    }
}
