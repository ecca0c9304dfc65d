-- robot:name Ticket labels and priority (v1.2 Update)
CREATE TABLE IF NOT EXISTS app.labels (
    id bigserial PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES app.tickets (id),
    name text NOT NULL,
    UNIQUE (ticket_id, name)
);
CREATE OR REPLACE FUNCTION app.label_count(ticket bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM app.labels WHERE ticket_id = ticket
$$;
ALTER TABLE app.tickets ADD COLUMN IF NOT EXISTS priority integer NOT NULL DEFAULT 3;
