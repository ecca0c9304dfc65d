-- expect drop-without-if-exists 3:1
-- expect drop-without-if-exists 4:21
DROP INDEX tenants_old_idx;
ALTER TABLE tenants DROP CONSTRAINT tenants_old_check;
