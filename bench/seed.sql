-- The benchmark's data set, the ceiling's shape (../shared/ceiling/ceiling.sql), on the service's
-- schema; valid on H2 2.x and PostgreSQL. The organizations bench-a, bench-b and bench-c exist
-- (bench/run creates them and their keys through the admin API before this runs).
--   bench-a: 1,000 runners, 100 pods each (running, paused, completed, terminated in turn),
--            labels gpu and high-memory on every third runner
--   bench-b: 10,000 runners without pods (the list must cost the same in a larger organization)
--   bench-c: small (100 pods) and big (200,000 pods), each alone, for the flat-cost figures
-- Heartbeats are set two hours ahead so that every runner stays online for the whole run
-- without a heartbeat loop; max_pods 1000 keeps them available (1,000 candidates in bench-a).

INSERT INTO runners (organization_id, name, reported_status, version, os, arch, labels, pod_count, max_pods,
                     last_heartbeat_at, created_at)
SELECT o.id, 'runner-' || g.v, 'online', '1.2.0', 'linux', 'amd64',
       CASE WHEN MOD(g.v, 3) = 0 THEN 'gpu,high-memory' ELSE '' END, 0, 1000,
       CURRENT_TIMESTAMP + INTERVAL '2' HOUR, CURRENT_TIMESTAMP
FROM organizations o, GENERATE_SERIES(1, 1000) AS g(v) WHERE o.slug = 'bench-a';

INSERT INTO runners (organization_id, name, reported_status, version, os, arch, labels, pod_count, max_pods,
                     last_heartbeat_at, created_at)
SELECT o.id, 'runner-' || g.v, 'online', '1.2.0', 'linux', 'amd64',
       CASE WHEN MOD(g.v, 3) = 0 THEN 'gpu,high-memory' ELSE '' END, 0, 1000,
       CURRENT_TIMESTAMP + INTERVAL '2' HOUR, CURRENT_TIMESTAMP
FROM organizations o, GENERATE_SERIES(1, 10000) AS g(v) WHERE o.slug = 'bench-b';

INSERT INTO runners (organization_id, name, reported_status, version, os, arch, labels, pod_count, max_pods,
                     last_heartbeat_at, created_at)
SELECT o.id, g.name, 'online', '1.2.0', 'linux', 'amd64', '', 0, 1000,
       CURRENT_TIMESTAMP + INTERVAL '2' HOUR, CURRENT_TIMESTAMP
FROM organizations o, (SELECT 'small' AS name UNION ALL SELECT 'big') g WHERE o.slug = 'bench-c';

INSERT INTO runner_labels (runner_id, organization_id, label)
SELECT r.id, r.organization_id, l.label
FROM runners r, (SELECT 'gpu' AS label UNION ALL SELECT 'high-memory') l
WHERE r.labels = 'gpu,high-memory';

-- pods of bench-a: runner i gets pods i*1000+1 .. i*1000+100, the newest first by key
INSERT INTO pods (organization_id, runner_id, pod_key, status, agent_type_id, initial_prompt, created_at, updated_at)
SELECT r.organization_id, r.id, 'pod-' || r.id || '-' || g.v,
       CASE MOD(g.v, 4) WHEN 0 THEN 'running' WHEN 1 THEN 'paused' WHEN 2 THEN 'completed' ELSE 'terminated' END,
       'claude-code', 'Fix the login bug ' || g.v,
       CURRENT_TIMESTAMP - INTERVAL '1' SECOND * g.v, CURRENT_TIMESTAMP - INTERVAL '1' SECOND * g.v
FROM runners r JOIN organizations o ON o.id = r.organization_id, GENERATE_SERIES(1, 100) AS g(v)
WHERE o.slug = 'bench-a' OR (o.slug = 'bench-c' AND r.name = 'small');

INSERT INTO pods (organization_id, runner_id, pod_key, status, agent_type_id, initial_prompt, created_at, updated_at)
SELECT r.organization_id, r.id, 'pod-' || r.id || '-' || g.v,
       CASE MOD(g.v, 4) WHEN 0 THEN 'running' WHEN 1 THEN 'paused' WHEN 2 THEN 'completed' ELSE 'terminated' END,
       'claude-code', 'Fix the login bug ' || g.v,
       CURRENT_TIMESTAMP - INTERVAL '1' SECOND * g.v, CURRENT_TIMESTAMP - INTERVAL '1' SECOND * g.v
FROM runners r JOIN organizations o ON o.id = r.organization_id, GENERATE_SERIES(1, 200000) AS g(v)
WHERE o.slug = 'bench-c' AND r.name = 'big';

-- the counts that the service keeps (V4__maintained_counts.sql)
UPDATE runners SET
    pods_running = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'running'),
    pods_paused = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'paused'),
    pods_completed = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'completed'),
    pods_terminated = (SELECT COUNT(*) FROM pods p WHERE p.runner_id = runners.id AND p.status = 'terminated');
UPDATE runners SET pod_count = pods_running + pods_paused;
UPDATE organizations SET runner_count = (SELECT COUNT(*) FROM runners r WHERE r.organization_id = organizations.id);
