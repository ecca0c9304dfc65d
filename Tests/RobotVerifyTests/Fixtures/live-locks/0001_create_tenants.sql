-- robot:name Create tenants table (v1.0 Update)
CREATE TABLE IF NOT EXISTS tenants (
    id bigserial PRIMARY KEY,
    store_name text NOT NULL,
    score integer NOT NULL DEFAULT 0
);
-- The key an index is built on: a millisecond a row, so that building it on a thousand rows takes a second however
-- fast the machine is, and every lock the test expects below its threshold stays far below it.
CREATE OR REPLACE FUNCTION slow_key(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM pg_sleep(0.001);
    RETURN lower(name);
END
$$;
