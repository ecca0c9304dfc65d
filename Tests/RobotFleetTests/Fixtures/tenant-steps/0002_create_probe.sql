-- robot:name Create the exactly-once probe (v1.0 Update)
CREATE TABLE IF NOT EXISTS probe (id bigserial PRIMARY KEY, backend integer NOT NULL DEFAULT pg_backend_pid());
