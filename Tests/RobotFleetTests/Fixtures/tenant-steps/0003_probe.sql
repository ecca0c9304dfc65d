-- robot:name Record that this step ran (v1.0 Update)
-- Deliberately not idempotent: one row per run of this step, so a test sees a step that ran twice.
INSERT INTO probe DEFAULT VALUES;
