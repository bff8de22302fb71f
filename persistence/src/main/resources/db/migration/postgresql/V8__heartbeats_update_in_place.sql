-- Issue 7: a heartbeat that changes nothing a reader sees (runner-heartbeat-quiet-postgresql) writes
-- last_heartbeat_at alone. While an index held that column, each such heartbeat wrote a new entry
-- in every index of runners (22 of 58,732 bench heartbeats were HOT updates, against 85% for the
-- ceiling). Without it PostgreSQL updates the row in place, when its page has room.
-- The available list and its count walk runners_available_by_free_slots (V7), which holds the
-- schedulable runners that reported online, and check the heartbeat on the row.
DROP INDEX runners_available;
-- The timeout watch (runners-timed-out, every second) reads the runners that reported online and
-- whose timeout was not announced yet, and checks their heartbeats on the rows.
DROP INDEX runners_timeout_watch;
CREATE INDEX runners_timeout_watch ON runners (id)
    WHERE timeout_announced = FALSE AND reported_status = 'online';
