ALTER TABLE tenants ADD COLUMN IF NOT EXISTS owner_email text;
DO $$
BEGIN
    ALTER TABLE tenants ADD COLUMN total_tokens_used bigint NOT NULL DEFAULT 0;
EXCEPTION WHEN duplicate_column THEN
    RAISE NOTICE 'exists';
END
$$;
