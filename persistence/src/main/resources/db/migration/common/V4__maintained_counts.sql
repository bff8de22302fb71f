-- Counts kept exact by every write in the same transaction, under the row lock of the runner
-- (its pods by status) or of the organization (its runners), so that a pods page and a list read
-- their total in the same statement as the page, from the same snapshot, without counting rows:
-- a page of a runner with 200,000 pods costs what a page of one with 100 costs.
ALTER TABLE runners ADD COLUMN pods_initializing INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE runners ADD COLUMN pods_running INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE runners ADD COLUMN pods_paused INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE runners ADD COLUMN pods_disconnected INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE runners ADD COLUMN pods_completed INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE runners ADD COLUMN pods_terminated INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE runners ADD COLUMN pods_error INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE runners ADD COLUMN pods_orphaned INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE organizations ADD COLUMN runner_count INTEGER DEFAULT 0 NOT NULL;

-- the pods and runners that a v1 database already holds
UPDATE runners SET
    pods_initializing = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'initializing'),
    pods_running = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'running'),
    pods_paused = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'paused'),
    pods_disconnected = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'disconnected'),
    pods_completed = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'completed'),
    pods_terminated = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'terminated'),
    pods_error = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'error'),
    pods_orphaned = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'orphaned');
UPDATE organizations SET runner_count = (SELECT COUNT(*) FROM runners r WHERE r.organization_id = organizations.id);
