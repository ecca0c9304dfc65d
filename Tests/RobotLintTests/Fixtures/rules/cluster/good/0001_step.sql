CREATE TABLE IF NOT EXISTS events (id bigserial PRIMARY KEY, happened_at timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS events_happened_at_idx ON events (happened_at);
CLUSTER events USING events_happened_at_idx;
