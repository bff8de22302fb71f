-- The available list (runners-available-page) is ordered by free slots, then id: this index holds
-- the schedulable runners that reported online in that order, so a page walks it and stops at its
-- limit (checking the heartbeat and a free slot on each), instead of reading every candidate and
-- sorting them. PostgreSQL only: H2 has no index on an expression, and keeps its plan.
CREATE INDEX runners_available_by_free_slots ON runners (organization_id, (max_pods - pod_count) DESC, id)
    WHERE schedulable = TRUE AND reported_status = 'online';
