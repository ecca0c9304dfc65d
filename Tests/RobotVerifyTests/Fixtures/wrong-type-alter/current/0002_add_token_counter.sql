-- robot:name Add token usage counter to tenants (v1.2 Update)
DO $$
BEGIN
    ALTER TABLE tenants ADD COLUMN total_tokens_used integer;
EXCEPTION
    WHEN duplicate_column THEN
        RAISE NOTICE 'tenants.total_tokens_used already exists';
END
$$;
