-- expect create-without-or-replace 3:1
-- expect create-without-or-replace 4:1
CREATE VIEW active_tenants AS SELECT * FROM tenants;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    NEW.updated_at := now(); -- a comment; with 'quotes'
    RETURN NEW;
END
$fn$;
