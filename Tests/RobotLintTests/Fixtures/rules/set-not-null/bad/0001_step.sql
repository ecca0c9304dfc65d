-- expect set-not-null 2:45
ALTER TABLE tenants ALTER COLUMN store_name SET NOT NULL;
