-- robot:name Directives with the wrong case or spacing
-- Robot:critical
-- ROBOT:critical
-- robot :critical
-- robot:Critical
-- robot: no-transaction
-- Robots are welcome: this comment is no directive
DO $$ BEGIN RAISE EXCEPTION 'fails'; END $$;
SELECT '
-- Robot:critical inside a string is SQL, not a directive
';
