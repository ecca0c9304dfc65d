-- robot:name Add token counter to tenants (v1.1 Update)
DO $$
BEGIN
    ALTER TABLE tenants ADD COLUMN total_tokens_used bigint NOT NULL DEFAULT 0;
EXCEPTION WHEN duplicate_column THEN
    RAISE NOTICE 'total_tokens_used exists already';
END
$$;
