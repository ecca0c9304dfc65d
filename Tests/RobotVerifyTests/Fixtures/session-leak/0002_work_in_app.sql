-- robot:name Work in the app schema (v1.0 Update)
-- robot:allow session-setting the robot restores its session after the step: shown by robot verify
SET search_path TO app, public;
