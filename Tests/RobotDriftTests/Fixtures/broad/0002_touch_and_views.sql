-- robot:name Touch tickets on update, list open tickets, isolate rows (v1.1 Update)
CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS tickets_touch ON app.tickets;
CREATE TRIGGER tickets_touch BEFORE UPDATE ON app.tickets FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE OR REPLACE VIEW app.open_tickets AS SELECT id, title FROM app.tickets WHERE state = 'open';
ALTER TABLE app.tickets ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tickets_visible ON app.tickets;
CREATE POLICY tickets_visible ON app.tickets USING (true);
