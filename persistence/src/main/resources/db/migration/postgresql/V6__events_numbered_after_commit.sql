-- Issue 7: on PostgreSQL a write no longer numbers its event in its own transaction. Holding the
-- organization's counter row from the increment to the end of the commit's disk flush put every
-- writer of an organization in one line, one flush at a time (new-pod PUTs at 0.19x the ceiling).
-- A write now stores its event here, unnumbered, as its last statement; after its commit a
-- numbering pass (EventJournal) moves every pending event of the organization to runner_events
-- under the next versions, in the order of their ids, and sends one notification. The writers of
-- an organization share the pass and the flushes, as they share the commits.
-- An event left here by an instance that stopped between a commit and its pass is numbered by the
-- next pass of any instance (FeedMaintenance looks every second).
CREATE TABLE pending_events (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id    BIGINT       NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_type         VARCHAR(32)  NOT NULL,
    runner_id          BIGINT       NOT NULL,
    occurred_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the Event JSON without its opening '{"version":N,' (ChangeEncoder.encodeAfterVersion)
    body_after_version VARCHAR(1000000) NOT NULL
);
CREATE INDEX pending_events_by_organization ON pending_events (organization_id, id);
