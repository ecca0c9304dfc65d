-- expect drop-table 5:9
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'orders_old') THEN
        DROP TABLE orders_old CASCADE; -- "repair"
    END IF;
END
$$;
