-- robot:allow drop-column legacy_flag was never written (checked in v1.2)
ALTER TABLE tenants DROP COLUMN IF EXISTS legacy_flag;
