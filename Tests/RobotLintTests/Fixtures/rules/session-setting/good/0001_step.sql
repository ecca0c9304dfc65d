SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SET LOCAL search_path TO app, public;
CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY);
SELECT set_config('statement_timeout', '5s', true);
