-- robot:name Count the runs of this step (v1.0 Update)
-- Not idempotent on purpose: a row for each time the step ran, so a test sees any second run.
CREATE TABLE IF NOT EXISTS probe (ran_at timestamptz NOT NULL);
INSERT INTO probe VALUES (clock_timestamp());
