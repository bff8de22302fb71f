-- SPEC v1.1, endpoint 8a: a cordoned runner keeps its status and pods but is not offered for new pods.
ALTER TABLE runners ADD COLUMN schedulable BOOLEAN DEFAULT TRUE NOT NULL;
