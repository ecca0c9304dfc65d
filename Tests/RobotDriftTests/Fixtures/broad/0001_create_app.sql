-- robot:name Create teams and tickets (v1.0 Update)
CREATE SCHEMA IF NOT EXISTS app;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typname = 'ticket_state') THEN
        CREATE TYPE app.ticket_state AS ENUM ('open', 'waiting', 'closed');
    END IF;
END
$$;
CREATE TABLE IF NOT EXISTS app.teams (id bigserial PRIMARY KEY, slug text NOT NULL UNIQUE, name text NOT NULL);
CREATE TABLE IF NOT EXISTS app.tickets (
    id bigserial PRIMARY KEY,
    team_id bigint NOT NULL REFERENCES app.teams (id),
    title text NOT NULL CHECK (length(title) > 0),
    state app.ticket_state NOT NULL DEFAULT 'open',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tickets_team_idx ON app.tickets (team_id);
INSERT INTO app.teams (slug, name) VALUES ('support', 'Support'), ('billing', 'Billing') ON CONFLICT (slug) DO NOTHING;
