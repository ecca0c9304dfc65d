SET LOCAL lock_timeout = '2s';
UPDATE tenants SET score = 0 WHERE score IS NULL;
