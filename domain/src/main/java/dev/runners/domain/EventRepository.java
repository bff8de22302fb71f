package dev.runners.domain;

import java.time.Instant;
import java.util.List;

/**
 * The change feed of each organization: events with versions that start at 1 and grow by one in
 * commit order. Writers append them in their own transaction (see the persistence module); a read
 * finds the event of every write that returned before the read began.
 */
public interface EventRepository {

    /** The version of the organization's latest event; 0 before the first. */
    long currentVersion(long organizationId);

    /** Up to {@code limit} events with a version above {@code since}, in order. */
    List<FeedEvent> after(long organizationId, long since, int limit);

    /**
     * Whether everything after {@code since} is still retained: the event that follows it exists and
     * happened at or after {@code retainedFrom}. True when {@code since} is the current version.
     */
    boolean retainsAfter(long organizationId, long since, Instant retainedFrom);

    /** Deletes the events that happened before {@code retainedFrom}; returns how many. */
    int deleteBefore(Instant retainedFrom);
}
