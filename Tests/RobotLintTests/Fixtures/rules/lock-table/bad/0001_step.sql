-- expect lock-table 2:1
LOCK TABLE tenants IN SHARE ROW EXCLUSIVE MODE;
UPDATE tenants SET score = 0 WHERE score IS NULL;
