-- robot:name Idioms that must not be reported (v1.2 Update)
CREATE TABLE IF NOT EXISTS t (c int);
CREATE TABLE IF NOT EXISTS x (LIKE y INCLUDING ALL);
ALTER TABLE t ALTER COLUMN c SET NOT NULL;
ALTER TABLE t ADD COLUMN IF NOT EXISTS id2 bigserial NOT NULL;
ALTER TABLE t ADD COLUMN IF NOT EXISTS id3 bigint GENERATED ALWAYS AS IDENTITY NOT NULL;
COMMENT ON TABLE t IS 'x; y';
GRANT SELECT ON t TO app;
DROP FUNCTION IF EXISTS f(int);
CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app; END IF; END $$;
CREATE SCHEMA IF NOT EXISTS s AUTHORIZATION app;
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
SELECT set_config('search_path', 'public', true);
with moved as (delete from a where b returning *) insert into c select * from moved on conflict do nothing;
ALTER TABLE tenants VALIDATE CONSTRAINT tenants_email_check;
