CREATE TABLE IF NOT EXISTS stores (id bigserial PRIMARY KEY, name text NOT NULL);
CREATE INDEX IF NOT EXISTS stores_name_idx ON stores (name);
