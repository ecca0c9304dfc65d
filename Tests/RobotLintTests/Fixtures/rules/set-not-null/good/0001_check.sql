DO $$
BEGIN
    ALTER TABLE tenants ADD CONSTRAINT tenants_store_name_not_null CHECK (store_name IS NOT NULL) NOT VALID;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
