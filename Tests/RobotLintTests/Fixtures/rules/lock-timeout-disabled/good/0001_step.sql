SET LOCAL lock_timeout = '2s';
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS plan text;
