-- expect lock-timeout-disabled 3:1
SET LOCAL lock_timeout = 0;
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS plan text;
