-- Pods tie on created_at are listed by key in code-point order, as on H2; a locale collation
-- would order '-', '_' and letters differently from one machine to the next.
ALTER TABLE pods ALTER COLUMN pod_key TYPE VARCHAR(100) COLLATE "C";
