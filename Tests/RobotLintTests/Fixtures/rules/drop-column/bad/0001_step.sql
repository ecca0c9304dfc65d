-- expect drop-column 2:21
ALTER TABLE tenants DROP COLUMN IF EXISTS legacy_flag;
