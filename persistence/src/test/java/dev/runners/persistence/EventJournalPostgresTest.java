package dev.runners.persistence;

import java.sql.Connection;
import java.time.Instant;

import dev.runners.domain.FeedEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventJournalPostgresTest extends EventJournalContract {
    EventJournalPostgresTest() {
        super(new PostgresStore());
    }

    /** PostgreSQL numbers events after the commit: one left unnumbered by a stopped instance is numbered by the next look. */
    @Test
    void anEventLeftUnnumberedIsNumberedByTheNextLookWithoutAGap() throws Exception {
        long org = organization(Instant.parse("2026-01-15T10:00:00Z"));
        try (Connection c = database.dedicatedConnection()) {
            EventJournalContract.leaveUnnumbered(c, org, 7);
            EventJournalContract.leaveUnnumbered(c, org, 8);
            assertEquals(0, numbered(c, org), "nothing is numbered before a pass");
            journal.numberLeftovers();
            assertEquals(2, numbered(c, org), "the look numbered both, without any read of the feed");
        }
        var feed = events.after(org, 0, 100);
        assertEquals(2, events.currentVersion(org));
        assertEquals(java.util.List.of(7L, 8L), feed.stream().map(FeedEvent::runnerId).toList(), "numbered in the order stored");
        EventJournalContract.assertNumberedAfter(feed, 1);
        EventJournalContract.assertNumberedAfter(feed, 2);
        journal.numberLeftovers();
        assertEquals(2, events.currentVersion(org), "a second look finds nothing left");
    }

    /** A read of the feed numbers what is pending first: it finds every write that committed before it. */
    @Test
    void aReadOfTheFeedNumbersWhatIsPendingFirst() throws Exception {
        long org = organization(Instant.parse("2026-01-15T10:00:00Z"));
        try (Connection c = database.dedicatedConnection()) {
            EventJournalContract.leaveUnnumbered(c, org, 7);
            assertEquals(0, numbered(c, org), "nothing is numbered before a pass");
            assertEquals(1, events.currentVersion(org), "the current version counts the pending event");
            EventJournalContract.leaveUnnumbered(c, org, 8);
            var feed = events.after(org, 0, 100);
            assertEquals(java.util.List.of(7L, 8L), feed.stream().map(FeedEvent::runnerId).toList());
            EventJournalContract.assertNumberedAfter(feed, 2);
            assertEquals(2, numbered(c, org));
        }
    }

    private static long numbered(Connection c, long org) throws Exception {
        try (var count = c.prepareStatement("SELECT COUNT(*) FROM runner_events WHERE organization_id = ?")) {
            count.setLong(1, org);
            try (var rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
