ALTER TABLE tenants ADD COLUMN IF NOT EXISTS score_wide bigint;
