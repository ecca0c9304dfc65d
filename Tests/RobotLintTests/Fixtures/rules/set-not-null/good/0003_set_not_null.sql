ALTER TABLE tenants ALTER COLUMN store_name SET NOT NULL;
ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_store_name_not_null;
