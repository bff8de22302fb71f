package dev.runners.domain;

import java.time.Instant;

/** An event of an organization's change feed as stored: its version and its encoded JSON. */
public record FeedEvent(long version, ChangeType type, long runnerId, Instant at, String json) {
}
