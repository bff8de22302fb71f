-- SPEC v1.1, endpoint 13: the change feed.

-- One counter row per organization. Every write that emits an event increments it in its own
-- transaction, as its last statement: the row lock serializes the writers of one organization
-- until they commit, so versions are gap-free and in commit order.
CREATE TABLE event_counters (
    organization_id BIGINT NOT NULL PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    version         BIGINT NOT NULL,
    CONSTRAINT event_counters_version_check CHECK (version >= 0)
);
INSERT INTO event_counters (organization_id, version) SELECT id, 0 FROM organizations;

CREATE TABLE runner_events (
    organization_id BIGINT       NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    version         BIGINT       NOT NULL,
    event_type      VARCHAR(32)  NOT NULL,
    runner_id       BIGINT       NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the Event JSON as subscribers receive it (a pod's prompt is at most 131,072 UTF-16 units)
    body            VARCHAR(1000000) NOT NULL,
    PRIMARY KEY (organization_id, version)
);
-- retention: the oldest events go first
CREATE INDEX runner_events_by_age ON runner_events (occurred_at);

-- set when the runner's timeout (heartbeat older than T) was announced, so that it is announced once
-- across every instance; a heartbeat clears it
ALTER TABLE runners ADD COLUMN timeout_announced BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX runners_timeout_watch ON runners (timeout_announced, reported_status, last_heartbeat_at);
