-- robot:name Touch trigger with nested quotes (v1.0 Update)
CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    note text := $n$it's; "fine"$n$;
BEGIN
    EXECUTE format($q$UPDATE %I SET touched = true$q$, TG_TABLE_NAME);
    NEW.updated_at := now();
    RETURN NEW;
END
$fn$;
DROP TRIGGER IF EXISTS tenants_touch ON tenants;
CREATE TRIGGER tenants_touch BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch();
