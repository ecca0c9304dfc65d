-- robot:name Create tenants table (v1.0 Update)
CREATE TABLE IF NOT EXISTS tenants (
    id bigserial PRIMARY KEY,
    store_name text NOT NULL,
    score integer NOT NULL DEFAULT 0
);
-- The key an index is built on: three milliseconds a row, so that building it on a thousand rows takes three seconds
-- however fast the machine is, and every lock the test expects below its threshold stays far below it.
CREATE OR REPLACE FUNCTION slow_key(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM pg_sleep(0.003);
    RETURN lower(name);
END
$$;
