-- expect not-null-without-default 2:56
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS plan text NOT NULL;
