DROP INDEX IF EXISTS tenants_old_idx;
ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_old_check;
