-- expect session-setting 4:1
-- expect session-setting 6:8
-- expect session-setting 10:5
SET search_path TO app, public;
CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY);
SELECT set_config('statement_timeout', '5s', false);
DO $$
BEGIN
    CREATE TABLE IF NOT EXISTS audit (id int);
    RESET work_mem;
END
$$;
