-- Issue 7: on PostgreSQL a new pod is one statement, committed on its own (pod-insert-new-postgresql):
-- it counts the pod on its runner, inserts it and stores its event, in one round trip instead of
-- three (the counts and the pod, the event, the commit). That statement learns the runner as counted
-- only while it runs, after the service could encode the event, so it stores the event's facts (the
-- runner as counted and the pod) in these columns instead of its body; the numbering pass encodes
-- them (EventJournal), as the writer would have. Every other write still stores its encoded body.
ALTER TABLE pending_events ALTER COLUMN body_after_version DROP NOT NULL;
ALTER TABLE pending_events ADD COLUMN runner_name VARCHAR(100);
ALTER TABLE pending_events ADD COLUMN runner_reported_status VARCHAR(16);
ALTER TABLE pending_events ADD COLUMN runner_version VARCHAR(64);
ALTER TABLE pending_events ADD COLUMN runner_os VARCHAR(32);
ALTER TABLE pending_events ADD COLUMN runner_arch VARCHAR(32);
ALTER TABLE pending_events ADD COLUMN runner_labels VARCHAR(2100);
ALTER TABLE pending_events ADD COLUMN runner_pod_count INTEGER;
ALTER TABLE pending_events ADD COLUMN runner_max_pods INTEGER;
ALTER TABLE pending_events ADD COLUMN runner_schedulable BOOLEAN;
ALTER TABLE pending_events ADD COLUMN runner_last_heartbeat_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE pending_events ADD COLUMN runner_created_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE pending_events ADD COLUMN pod_key VARCHAR(100);
ALTER TABLE pending_events ADD COLUMN pod_status VARCHAR(16);
ALTER TABLE pending_events ADD COLUMN pod_agent_type_id VARCHAR(100);
ALTER TABLE pending_events ADD COLUMN pod_initial_prompt VARCHAR(131072);
ALTER TABLE pending_events ADD COLUMN pod_created_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE pending_events ADD CONSTRAINT pending_events_body_or_facts
    CHECK (body_after_version IS NOT NULL OR (runner_name IS NOT NULL AND pod_key IS NOT NULL));
